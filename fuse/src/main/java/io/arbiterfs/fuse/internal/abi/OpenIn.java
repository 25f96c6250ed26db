package io.arbiterfs.fuse.internal.abi;

/** fuse_open_in (OPEN and OPENDIR). Size 8. */
public final class OpenIn extends Struct<OpenIn> implements io.arbiterfs.fuse.OpenArgs {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public int flags() {
        return buf.getInt(at);
    }

    public int openFlags() {
        return buf.getInt(at + 4);
    }

    @Override
    public boolean killSuidGid() {
        return (openFlags() & FuseConst.OPEN_KILL_SUIDGID) != 0;
    }
}
