package io.arbiterfs.fuse.internal.abi;

/** fuse_attr_out: reply to GETATTR and SETATTR; {@link #attr()} views the embedded fuse_attr. Size 104. */
public final class AttrOut extends Struct<AttrOut> implements io.arbiterfs.fuse.AttributeReply {
    public static final int SIZE = 104;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long attrValid() {
        return buf.getLong(at);
    }

    public AttrOut attrValid(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public int attrValidNsec() {
        return buf.getInt(at + 8);
    }

    public AttrOut attrValidNsec(int v) {
        buf.putInt(at + 8, v);
        return this;
    }

    private final Attr attr = new Attr();

    /** The embedded fuse_attr. */
    public Attr attr() {
        return attr.wrap(buf, at + 16);
    }

    @Override
    public Attr attributes() {
        return attr();
    }

    @Override
    public AttrOut validFor(java.time.Duration validity) {
        return attrValid(validity.getSeconds()).attrValidNsec(validity.getNano());
    }
}
