package io.arbiterfs.fuse.internal.abi;

/** fuse_lk_in with its embedded fuse_file_lock. Size 48. */
public final class LkIn extends Struct<LkIn> implements io.arbiterfs.fuse.LockArgs {
    public static final int SIZE = 48;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    @Override
    public long owner() {
        return buf.getLong(at + 8);
    }

    @Override
    public long start() {
        return buf.getLong(at + 16);
    }

    @Override
    public long end() {
        return buf.getLong(at + 24);
    }

    @Override
    public int type() {
        return buf.getInt(at + 32);
    }

    @Override
    public int pid() {
        return buf.getInt(at + 36);
    }

    public int lkFlags() {
        return buf.getInt(at + 40);
    }

    @Override
    public boolean isFlock() {
        return (lkFlags() & FuseConst.LK_FLOCK) != 0;
    }
}
