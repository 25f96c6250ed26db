package io.arbiterfs.fuse.internal.abi;

/** fuse_lk_out (fuse_file_lock). Size 24. */
public final class LkOut extends Struct<LkOut> implements io.arbiterfs.fuse.LockReply {
    public static final int SIZE = 24;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long start() {
        return buf.getLong(at);
    }

    public LkOut start(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public long end() {
        return buf.getLong(at + 8);
    }

    public LkOut end(long v) {
        buf.putLong(at + 8, v);
        return this;
    }

    public int type() {
        return buf.getInt(at + 16);
    }

    public LkOut type(int v) {
        buf.putInt(at + 16, v);
        return this;
    }

    public int pid() {
        return buf.getInt(at + 20);
    }

    public LkOut pid(int v) {
        buf.putInt(at + 20, v);
        return this;
    }

    @Override
    public LkOut set(long start, long end, int type, int pid) {
        return start(start).end(end).type(type).pid(pid);
    }
}
