package io.arbiterfs.fuse.internal.abi;

/** fuse_setattr_in. Size 88. */
public final class SetattrIn extends Struct<SetattrIn> {
    public static final int SIZE = 88;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int valid() {
        return buf.getInt(at);
    }

    public long fh() {
        return buf.getLong(at + 8);
    }

    public long size() {
        return buf.getLong(at + 16);
    }

    public long lockOwner() {
        return buf.getLong(at + 24);
    }

    public long atime() {
        return buf.getLong(at + 32);
    }

    public long mtime() {
        return buf.getLong(at + 40);
    }

    public long ctime() {
        return buf.getLong(at + 48);
    }

    public int atimensec() {
        return buf.getInt(at + 56);
    }

    public int mtimensec() {
        return buf.getInt(at + 60);
    }

    public int ctimensec() {
        return buf.getInt(at + 64);
    }

    public int mode() {
        return buf.getInt(at + 68);
    }

    public int uid() {
        return buf.getInt(at + 76);
    }

    public int gid() {
        return buf.getInt(at + 80);
    }
}
