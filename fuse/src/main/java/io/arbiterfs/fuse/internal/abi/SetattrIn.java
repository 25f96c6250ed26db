package io.arbiterfs.fuse.internal.abi;

/** fuse_setattr_in. Size 88. */
public final class SetattrIn extends Struct<SetattrIn> implements io.arbiterfs.fuse.SetAttributes {
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

    @Override
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

    @Override
    public int mode() {
        return buf.getInt(at + 68);
    }

    @Override
    public int uid() {
        return buf.getInt(at + 76);
    }

    @Override
    public int gid() {
        return buf.getInt(at + 80);
    }

    private boolean has(int bit) {
        return (valid() & bit) != 0;
    }

    @Override
    public boolean setsMode() {
        return has(FuseConst.FATTR_MODE);
    }

    @Override
    public boolean setsUid() {
        return has(FuseConst.FATTR_UID);
    }

    @Override
    public boolean setsGid() {
        return has(FuseConst.FATTR_GID);
    }

    @Override
    public boolean setsSize() {
        return has(FuseConst.FATTR_SIZE);
    }

    @Override
    public boolean setsAtime() {
        return has(FuseConst.FATTR_ATIME);
    }

    @Override
    public boolean atimeNow() {
        return has(FuseConst.FATTR_ATIME_NOW);
    }

    @Override
    public long atimeSeconds() {
        return atime();
    }

    @Override
    public int atimeNanos() {
        return atimensec();
    }

    @Override
    public boolean setsMtime() {
        return has(FuseConst.FATTR_MTIME);
    }

    @Override
    public boolean mtimeNow() {
        return has(FuseConst.FATTR_MTIME_NOW);
    }

    @Override
    public long mtimeSeconds() {
        return mtime();
    }

    @Override
    public int mtimeNanos() {
        return mtimensec();
    }

    @Override
    public boolean setsCtime() {
        return has(FuseConst.FATTR_CTIME);
    }

    @Override
    public long ctimeSeconds() {
        return ctime();
    }

    @Override
    public int ctimeNanos() {
        return ctimensec();
    }

    @Override
    public boolean killSuidGid() {
        return has(FuseConst.FATTR_KILL_SUIDGID);
    }

    /** Whether the request names an open file (FATTR_FH). */
    public boolean hasFh() {
        return has(FuseConst.FATTR_FH);
    }
}
