package io.arbiterfs.harness.fsx;

import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.Compare;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.Pattern;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * An fsx-style random operation stream on one file: buffered, direct and mapped reads and writes,
 * truncates, fallocate, punch hole and zero range, fsync and reopen, every read and the file size
 * checked against an in-memory model after every operation. Data written by operation N is
 * {@link Pattern} generation N, so a miscompare can say which operation's bytes were found instead.
 */
public final class FsxStream {
    /** Stream parameters; {@code mapped} false leaves out mapread/mapwrite (mmap refused by configuration). */
    public record Config(long ops, long seed, int maxFileSize, int maxOpSize, boolean mapped) {
        public static Config of(long ops, long seed, boolean mapped) {
            return new Config(ops, seed, 256 * 1024, 64 * 1024, mapped);
        }
    }

    private static final int A = FileIo.DIO_ALIGN;

    private final Path file;
    private final Optional<Path> backing;
    private final Config cfg;
    private final Consumer<String> log;
    private final SplittableRandom rnd;
    private final byte[] model;
    private final ByteBuffer buf;
    private final OpLog opLog = new OpLog(2000);
    private final Op[] table;
    private long size;
    private FileChannel buffered;
    private FileChannel direct;
    private int fd = -1;
    private final long[] counts = new long[Op.values().length];
    private final long[] nanos = new long[Op.values().length];

    public FsxStream(Path file, Optional<Path> backing, Config cfg, Consumer<String> log) {
        this.file = file;
        this.backing = backing;
        this.cfg = cfg;
        this.log = log;
        this.rnd = new SplittableRandom(cfg.seed());
        this.model = new byte[cfg.maxFileSize() + A];
        this.buf = FileIo.aligned(cfg.maxOpSize() + 2 * A);
        List<Op> t = new ArrayList<>();
        for (Op op : Op.values()) {
            if (!op.mapped() || cfg.mapped()) {
                for (int i = 0; i < op.weight; i++) {
                    t.add(op);
                }
            }
        }
        table = t.toArray(new Op[0]);
    }

    /** Runs the whole stream; throws at the first miscompare or failed call, with the op log around it. */
    public void run() throws IOException, TestFailure {
        open();
        try {
            for (long n = 1; n <= cfg.ops(); n++) {
                Op op = table[rnd.nextInt(table.length)];
                long t0 = System.nanoTime();
                try {
                    step(n, op);
                } catch (IOException e) {
                    throw failure(n, op + " failed: " + e.getMessage(), -1);
                }
                counts[op.ordinal()]++;
                nanos[op.ordinal()] += System.nanoTime() - t0;
                long actual = buffered.size();
                if (actual != size) {
                    throw failure(n, String.format("file size is %d (0x%x) after %s, model says %d (0x%x)", actual, actual,
                            op.label, size, size), size);
                }
            }
            finalCheck();
        } finally {
            closeAll();
        }
        StringBuilder s = new StringBuilder("fsx: " + cfg.ops() + " ops, seed " + cfg.seed() + ":");
        for (Op op : Op.values()) {
            s.append(String.format(" %s=%d (%.0f us avg)", op.label, counts[op.ordinal()],
                    counts[op.ordinal()] == 0 ? 0.0 : nanos[op.ordinal()] / 1e3 / counts[op.ordinal()]));
        }
        log.accept(s.toString());
    }

    private void step(long n, Op op) throws IOException, TestFailure {
        int gen = (int) (n & 0xFFFFF);
        switch (op) {
            case READ -> {
                long off = size == 0 ? 0 : rnd.nextLong(size);
                int len = 1 + rnd.nextInt(cfg.maxOpSize());
                record(n, op, off, len, "");
                verifyRead(n, op, buffered, off, len);
            }
            case DIRECT_READ -> {
                long off = (long) rnd.nextInt((int) (roundUp(Math.max(size, 1)) / A)) * A;
                int len = (1 + rnd.nextInt(cfg.maxOpSize() / A)) * A;
                record(n, op, off, len, "");
                verifyRead(n, op, direct, off, len);
            }
            case MAP_READ -> {
                if (size == 0) {
                    record(n, op, 0, 0, "skipped: empty file");
                    return;
                }
                long off = rnd.nextLong(size);
                int len = (int) Math.min(1 + rnd.nextInt(cfg.maxOpSize()), size - off);
                record(n, op, off, len, "");
                MappedByteBuffer m = FileIo.map(buffered, off, len);
                try {
                    ByteBuffer copy = buf.duplicate().clear().limit(len).slice();
                    copy.put(0, m, 0, len);
                    compare(n, op, copy, off, len);
                } finally {
                    FileIo.unmap(m);
                }
            }
            case WRITE, DIRECT_WRITE, MAP_WRITE -> write(n, op, gen);
            case TRUNCATE -> {
                long newSize = rnd.nextInt(cfg.maxFileSize() + 1);
                record(n, op, Math.min(newSize, size), Math.abs(newSize - size), "to 0x" + Long.toHexString(newSize));
                FileIo.truncate(fd, newSize);
                setSize(newSize);
                opLog.add(replaceSize(n));
            }
            case FALLOCATE, PUNCH_HOLE, ZERO_RANGE -> allocate(n, op);
            case FSYNC -> {
                record(n, op, 0, 0, "");
                FileIo.fsync(fd);
            }
            case REOPEN -> {
                record(n, op, 0, 0, "");
                closeAll();
                open();
            }
        }
    }

    private void write(long n, Op op, int gen) throws IOException {
        long off;
        int len;
        if (op == Op.DIRECT_WRITE) {
            off = (long) rnd.nextInt(cfg.maxFileSize() / A) * A;
            len = (1 + rnd.nextInt((int) Math.min(cfg.maxOpSize(), cfg.maxFileSize() - off) / A)) * A;
        } else {
            off = rnd.nextInt(cfg.maxFileSize());
            len = 1 + rnd.nextInt((int) Math.min(cfg.maxOpSize(), cfg.maxFileSize() - off));
        }
        record(n, op, off, len, "");
        if (op == Op.MAP_WRITE) {
            if (off + len > size) {
                FileIo.truncate(fd, off + len); // as fsx: a mapping cannot extend the file
                setSize(off + len);
            }
            MappedByteBuffer m = FileIo.map(buffered, off, len);
            try {
                Pattern.fill(m, off, len, gen);
                m.force();
            } finally {
                FileIo.unmap(m);
            }
        } else {
            ByteBuffer b = buf.duplicate().clear().limit(len).slice();
            Pattern.fill(b, off, len, gen);
            FileIo.writeFully(op == Op.DIRECT_WRITE ? direct : buffered, b, off);
            setSize(Math.max(size, off + len));
        }
        Pattern.fill(model, (int) off, off, len, gen);
        opLog.add(replaceSize(n));
    }

    private void allocate(long n, Op op) throws IOException {
        long off = rnd.nextInt(cfg.maxFileSize());
        long len = 1 + rnd.nextInt((int) Math.min(cfg.maxOpSize(), cfg.maxFileSize() - off));
        boolean keep = op == Op.PUNCH_HOLE || rnd.nextBoolean();
        int mode = switch (op) {
            case FALLOCATE -> 0;
            case PUNCH_HOLE -> Linux.FALLOC_FL_PUNCH_HOLE;
            default -> Linux.FALLOC_FL_ZERO_RANGE;
        } | (keep ? Linux.FALLOC_FL_KEEP_SIZE : 0);
        record(n, op, off, len, keep ? "keep_size" : "");
        FileIo.fallocate(fd, mode, off, len);
        long end = keep ? Math.min(off + len, size) : off + len;
        if (op != Op.FALLOCATE && end > off) {
            Arrays.fill(model, (int) off, (int) Math.min(end, model.length), (byte) 0);
        }
        if (!keep) {
            setSize(Math.max(size, off + len));
        }
        opLog.add(replaceSize(n));
    }

    /** Shrinking forgets the bytes past the new end: they read back as zeros if the file grows again. */
    private void setSize(long newSize) {
        if (newSize < size) {
            Arrays.fill(model, (int) newSize, (int) size, (byte) 0);
        }
        size = newSize;
    }

    private void verifyRead(long n, Op op, FileChannel ch, long off, int len) throws IOException, TestFailure {
        ByteBuffer b = buf.duplicate().clear().limit(len).slice();
        int got = FileIo.read(ch, b, off);
        int want = (int) Math.max(0, Math.min(len, size - off));
        if (got != want) {
            throw failure(n, String.format("%s at 0x%x of %d bytes returned %d bytes, model says %d (size 0x%x)",
                    op.label, off, len, got, want, size), off + Math.min(got, want));
        }
        compare(n, op, b, off, got);
    }

    private void compare(long n, Op op, ByteBuffer b, long off, int len) throws TestFailure {
        int bad = b.mismatch(ByteBuffer.wrap(model, (int) off, len));
        if (bad < 0 || bad >= len) {
            return;
        }
        long at = off + bad;
        byte[] exp = Arrays.copyOfRange(model, (int) at, (int) Math.min(at + 16, off + len));
        byte[] act = new byte[exp.length];
        b.get(bad, act);
        String found = "";
        int w = (int) ((at & ~7L) - off);
        if (w >= 0 && w + 8 <= len) {
            found = "\n  found " + Pattern.describe(b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(w), at & ~7L)
                    + " (generation = the op number that wrote it, mod 2^20)";
        }
        throw failure(n, String.format("%s miscompare at offset 0x%x (%d):%n  expected: %s%n  actual:   %s%s",
                op.label, at, at, Compare.hex(exp), Compare.hex(act), found), at);
    }

    private void finalCheck() throws IOException, TestFailure {
        long n = cfg.ops() + 1;
        record(n, Op.READ, 0, size, "final full read, buffered and direct");
        for (FileChannel ch : new FileChannel[] {buffered, direct}) {
            for (long off = 0; off < size; off += cfg.maxOpSize()) {
                verifyRead(n, ch == direct ? Op.DIRECT_READ : Op.READ, ch, off, cfg.maxOpSize());
            }
        }
        if (backing.isPresent()) {
            byte[] onDisk = Files.readAllBytes(backing.get());
            if (onDisk.length != size) {
                throw failure(n, "backing file is " + onDisk.length + " bytes, model says " + size, size);
            }
            int bad = Arrays.mismatch(onDisk, 0, onDisk.length, model, 0, (int) size);
            if (bad >= 0) {
                throw failure(n, String.format("backing file differs from the model at offset 0x%x", bad), bad);
            }
        }
    }

    private void record(long n, Op op, long off, long len, String note) {
        opLog.add(new OpLog.Entry(n, op, off, len, size, note));
    }

    /** Re-records the last entry with the size after the op (the entry was logged before the call, in case it fails). */
    private OpLog.Entry replaceSize(long n) {
        OpLog.Entry last = opLog.last();
        opLog.dropLast();
        return new OpLog.Entry(n, last.op(), last.offset(), last.length(), size, last.note());
    }

    private TestFailure failure(long n, String what, long badOffset) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("fsx op %d of %d (seed %d): %s", n, cfg.ops(), cfg.seed(), what));
        lines.addAll(opLog.around(badOffset, 25));
        lines.add(String.format("replay: --fsx-ops %d --seed %d", cfg.ops(), cfg.seed()));
        log.accept(String.join("\n", lines));
        return new TestFailure(String.join("\n", lines));
    }

    private void open() throws IOException {
        buffered = FileIo.openBuffered(file);
        direct = FileIo.openDirect(file);
        fd = FileIo.openFd(file, false);
    }

    private void closeAll() throws IOException {
        if (fd >= 0) {
            FileIo.close(fd);
            fd = -1;
        }
        if (buffered != null) {
            buffered.close();
        }
        if (direct != null) {
            direct.close();
        }
    }

    private static long roundUp(long v) {
        return (v + A - 1) / A * A;
    }
}
