package io.arbiterfs.fuse.internal.abi;

/** fuse_notify_inval_inode_out. Size 24. */
public final class NotifyInvalInodeOut extends Struct<NotifyInvalInodeOut> {
    public static final int SIZE = 24;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long ino() {
        return buf.getLong(at);
    }

    public NotifyInvalInodeOut ino(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public long off() {
        return buf.getLong(at + 8);
    }

    public NotifyInvalInodeOut off(long v) {
        buf.putLong(at + 8, v);
        return this;
    }

    public long len() {
        return buf.getLong(at + 16);
    }

    public NotifyInvalInodeOut len(long v) {
        buf.putLong(at + 16, v);
        return this;
    }
}
