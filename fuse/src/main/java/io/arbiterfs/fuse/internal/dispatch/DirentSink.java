package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Packs directory entries into a READDIR (fuse_dirent) or READDIRPLUS (fuse_direntplus) reply. Each entry is
 * 8-byte aligned; an entry that does not fit is refused, and the listing resumes from the last accepted entry's
 * cookie on the next request. On a READDIRPLUS listing, {@link #add} sends the name alone (node id 0).
 */
final class DirentSink implements DirectoryListing {
    private static final int DIRENT_HEADER = 24; // ino u64, off u64, namelen u32, type u32

    private final EntryOut entry = new EntryOut();
    private ByteBuffer buf;
    private int start;
    private int pos;
    private int limit;
    private boolean plus;

    DirentSink reset(ByteBuffer buffer, int start, int capacity, boolean plus) {
        this.buf = buffer;
        this.start = start;
        this.pos = start;
        this.limit = start + capacity;
        this.plus = plus;
        return this;
    }

    @Override
    public boolean isPlus() {
        return plus;
    }

    /** Bytes written so far. */
    int length() {
        return pos - start;
    }

    @Override
    public boolean isEmpty() {
        return pos == start;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private int direntAt(int at, long ino, long cookie, int type, ByteBuffer name, int nameOffset, int nameLength) {
        buf.putLong(at, ino);
        buf.putLong(at + 8, cookie);
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

    @Override
    public boolean add(long ino, long cookie, int type, ByteBuffer name, int nameOffset, int nameLength) {
        if (plus) {
            return addPlus(ino, cookie, type, name, nameOffset, nameLength) != null;
        }
        int size = align8(DIRENT_HEADER + nameLength);
        if (pos + size > limit) {
            return false;
        }
        pos = direntAt(pos, ino, cookie, type, name, nameOffset, nameLength);
        return true;
    }

    @Override
    public boolean add(long ino, long cookie, int type, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return add(ino, cookie, type, ByteBuffer.wrap(b), 0, b.length);
    }

    @Override
    public Entry addPlus(long ino, long cookie, int type, ByteBuffer name, int nameOffset, int nameLength) {
        if (!plus) {
            throw new IllegalStateException("addPlus on a READDIR listing: use add (isPlus() is false)");
        }
        int size = EntryOut.SIZE + align8(DIRENT_HEADER + nameLength);
        if (pos + size > limit) {
            return null;
        }
        EntryOut e = entry.wrap(buf, pos).clear();
        pos = direntAt(pos + EntryOut.SIZE, ino, cookie, type, name, nameOffset, nameLength);
        return e;
    }

    @Override
    public Entry addPlus(long ino, long cookie, int type, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return addPlus(ino, cookie, type, ByteBuffer.wrap(b), 0, b.length);
    }
}
