package io.arbiterfs.harness.io;

import io.arbiterfs.harness.core.TestFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whole-range reads and writes of one file through one access mode, each with its own open, so a
 * check compares what different kernel paths (and the backing file itself) return for the same
 * bytes.
 */
public enum Access {
    /** O_DIRECT: the server's answer, bypassing the FUSE page cache. */
    DIRECT,
    /** read(2)/write(2) through the FUSE page cache. */
    BUFFERED,
    /** MAP_SHARED load/store, msync after stores. */
    MMAP,
    /** The backing file in SOURCE, read without FUSE (reads only). */
    BACKING;

    /** Chunk size of writes: many WRITE requests per range, so a fault injected in one is visible. */
    public static final int CHUNK = 16 * 1024;

    /** Writes generation {@code gen} over {@code [0, len)} of {@code file}; len a multiple of 4 KiB. */
    public void writePattern(Path file, long len, int gen) throws IOException {
        switch (this) {
            case DIRECT, BUFFERED -> {
                try (FileChannel ch = this == DIRECT ? FileIo.openDirect(file) : FileIo.openBuffered(file)) {
                    ByteBuffer buf = FileIo.aligned(CHUNK);
                    for (long off = 0; off < len; off += CHUNK) {
                        int n = (int) Math.min(CHUNK, len - off);
                        Pattern.fill(buf, off, n, gen);
                        FileIo.writeFully(ch, buf.limit(n), off);
                        buf.clear();
                    }
                }
            }
            case MMAP -> {
                try (FileChannel ch = FileIo.openBuffered(file)) {
                    if (ch.size() < len) {
                        ch.write(ByteBuffer.wrap(new byte[1]), len - 1); // map only inside the file
                    }
                    MappedByteBuffer m = FileIo.map(ch, 0, len);
                    try {
                        for (long off = 0; off < len; off += CHUNK) {
                            int n = (int) Math.min(CHUNK, len - off);
                            Pattern.fill(m.slice((int) off, n), off, n, gen);
                        }
                        m.force();
                    } finally {
                        FileIo.unmap(m);
                    }
                }
            }
            case BACKING -> throw new UnsupportedOperationException("the backing file is only read");
        }
    }

    /** Reads {@code [0, len)}; a short read (file shorter than len) is a failure. */
    public ByteBuffer read(Path file, long len) throws IOException, TestFailure {
        ByteBuffer buf = FileIo.aligned((int) len);
        switch (this) {
            case DIRECT, BUFFERED, BACKING -> {
                try (FileChannel ch = this == DIRECT ? FileIo.openDirect(file)
                        : FileChannel.open(file, StandardOpenOption.READ)) {
                    int n = FileIo.read(ch, buf, 0);
                    if (n != len) {
                        throw new TestFailure(String.format("%s read of %s returned %d of %d bytes", name().toLowerCase(), file, n, len));
                    }
                }
            }
            case MMAP -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    if (ch.size() < len) {
                        throw new TestFailure(String.format("%s is %d bytes, expected at least %d", file, ch.size(), len));
                    }
                    MappedByteBuffer m = FileIo.map(ch, 0, len);
                    try {
                        buf.put(0, m, 0, (int) len);
                    } finally {
                        FileIo.unmap(m);
                    }
                }
            }
        }
        return buf;
    }
}
