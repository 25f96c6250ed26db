package io.arbiterfs.fuse.internal.abi;

/** fuse_create_in; followed by the name. Size 16. */
public final class CreateIn extends Struct<CreateIn> implements io.arbiterfs.fuse.CreateArgs {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public int flags() {
        return buf.getInt(at);
    }

    @Override
    public int mode() {
        return buf.getInt(at + 4);
    }

    @Override
    public int umask() {
        return buf.getInt(at + 8);
    }

    public int openFlags() {
        return buf.getInt(at + 12);
    }

    @Override
    public boolean killSuidGid() {
        return (openFlags() & FuseConst.OPEN_KILL_SUIDGID) != 0;
    }
}
