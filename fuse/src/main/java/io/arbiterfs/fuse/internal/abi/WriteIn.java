package io.arbiterfs.fuse.internal.abi;

/** fuse_write_in; the payload follows. Size 40. */
public final class WriteIn extends Struct<WriteIn> implements io.arbiterfs.fuse.WriteArgs {
    public static final int SIZE = 40;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    @Override
    public long offset() {
        return buf.getLong(at + 8);
    }

    @Override
    public int size() {
        return buf.getInt(at + 16);
    }

    public int writeFlags() {
        return buf.getInt(at + 20);
    }

    @Override
    public long lockOwner() {
        return buf.getLong(at + 24);
    }

    public int flags() {
        return buf.getInt(at + 32);
    }

    @Override
    public boolean isWriteback() {
        return (writeFlags() & FuseConst.WRITE_CACHE) != 0;
    }

    @Override
    public boolean killSuidGid() {
        return (writeFlags() & FuseConst.WRITE_KILL_SUIDGID) != 0;
    }

    @Override
    public int openFlags() {
        return flags();
    }
}
