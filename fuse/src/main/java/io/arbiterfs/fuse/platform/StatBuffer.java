package io.arbiterfs.fuse.platform;

import java.nio.ByteBuffer;

/** A reusable {@code struct stat} (x86-64 layout, 144 bytes) in native memory. */
public final class StatBuffer {
    public static final int SIZE = 144;
    private final ByteBuffer buf = Native.buffer(SIZE);
    private final long address = Native.address(buf);

    public long address() {
        return address;
    }

    public long dev() { return buf.getLong(0); }
    public long ino() { return buf.getLong(8); }
    public long nlink() { return buf.getLong(16); }
    public int mode() { return buf.getInt(24); }
    public int uid() { return buf.getInt(28); }
    public int gid() { return buf.getInt(32); }
    public long rdev() { return buf.getLong(40); }
    public long size() { return buf.getLong(48); }
    public long blksize() { return buf.getLong(56); }
    public long blocks() { return buf.getLong(64); }
    public long atime() { return buf.getLong(72); }
    public long atimeNsec() { return buf.getLong(80); }
    public long mtime() { return buf.getLong(88); }
    public long mtimeNsec() { return buf.getLong(96); }
    public long ctime() { return buf.getLong(104); }
    public long ctimeNsec() { return buf.getLong(112); }
}
