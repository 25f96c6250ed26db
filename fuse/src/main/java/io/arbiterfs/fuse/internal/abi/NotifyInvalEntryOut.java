package io.arbiterfs.fuse.internal.abi;

/** fuse_notify_inval_entry_out; the name follows. Size 16. */
public final class NotifyInvalEntryOut extends Struct<NotifyInvalEntryOut> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long parent() {
        return buf.getLong(at);
    }

    public NotifyInvalEntryOut parent(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public int namelen() {
        return buf.getInt(at + 8);
    }

    public NotifyInvalEntryOut namelen(int v) {
        buf.putInt(at + 8, v);
        return this;
    }

    public int flags() {
        return buf.getInt(at + 12);
    }

    public NotifyInvalEntryOut flags(int v) {
        buf.putInt(at + 12, v);
        return this;
    }
}
