package io.arbiterfs.fuse;

import io.arbiterfs.fuse.internal.abi.EntryOut;
import java.nio.ByteBuffer;

/**
 * Packs directory entries into a READDIR (fuse_dirent) or READDIRPLUS (fuse_direntplus) reply.
 * Each entry is 8-byte aligned; an entry that does not fit is refused, and the listing resumes from
 * the last accepted entry's offset on the next request.
 */
public final class DirentSink {
    private static final int DIRENT_HEADER = 24; // ino u64, off u64, namelen u32, type u32

    private final EntryOut entry = new EntryOut();
    private ByteBuffer buf;
    private int start;
    private int pos;
    private int limit;
    private boolean plus;

    public DirentSink reset(ByteBuffer buffer, int start, int capacity, boolean plus) {
        this.buf = buffer;
        this.start = start;
        this.pos = start;
        this.limit = start + capacity;
        this.plus = plus;
        return this;
    }

    public boolean isPlus() {
        return plus;
    }

    /** Bytes written so far. */
    public int length() {
        return pos - start;
    }

    public boolean isEmpty() {
        return pos == start;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private int direntAt(int at, long ino, long nextOffset, int type, ByteBuffer name, int nameOffset, int nameLength) {
        buf.putLong(at, ino);
        buf.putLong(at + 8, nextOffset);
        buf.putInt(at + 16, nameLength);
        buf.putInt(at + 20, type);
        buf.put(at + DIRENT_HEADER, name, nameOffset, nameLength);
        int end = at + DIRENT_HEADER + nameLength;
        int padded = at + align8(DIRENT_HEADER + nameLength);
        for (int i = end; i < padded; i++) {
            buf.put(i, (byte) 0);
        }
        return padded;
    }

    /**
     * Adds a plain entry. {@code type} is the d_type (DT_*) value; {@code nextOffset} is the cookie
     * from which the listing continues after this entry.
     *
     * @return false if the reply is full (nothing written)
     */
    public boolean add(long ino, long nextOffset, int type, ByteBuffer name, int nameOffset, int nameLength) {
        if (plus) {
            throw new IllegalStateException("READDIRPLUS needs addPlus");
        }
        int size = align8(DIRENT_HEADER + nameLength);
        if (pos + size > limit) {
            return false;
        }
        pos = direntAt(pos, ino, nextOffset, type, name, nameOffset, nameLength);
        return true;
    }

    /**
     * Reserves a READDIRPLUS entry and returns its zeroed entry_out for the caller to fill (a
     * LOOKUP-equivalent: a nodeid given here counts as one lookup). A nodeid of 0 sends only the
     * name.
     *
     * @return the entry view, or null if the reply is full (nothing written)
     */
    public EntryOut addPlus(long ino, long nextOffset, int type, ByteBuffer name, int nameOffset, int nameLength) {
        if (!plus) {
            throw new IllegalStateException("READDIR needs add");
        }
        int size = EntryOut.SIZE + align8(DIRENT_HEADER + nameLength);
        if (pos + size > limit) {
            return null;
        }
        EntryOut e = entry.wrap(buf, pos).clear();
        pos = direntAt(pos + EntryOut.SIZE, ino, nextOffset, type, name, nameOffset, nameLength);
        return e;
    }
}
