package io.arbiterfs.fuse.internal.abi;

/** fuse_entry_out: reply to LOOKUP, MKNOD, MKDIR, SYMLINK, LINK and the first half of CREATE; {@link #attr()} views the embedded fuse_attr. Size 128. */
public final class EntryOut extends Struct<EntryOut> implements io.arbiterfs.fuse.Entry {
    public static final int SIZE = 128;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long nodeId() {
        return buf.getLong(at);
    }

    public EntryOut nodeId(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public long generation() {
        return buf.getLong(at + 8);
    }

    @Override
    public EntryOut generation(long v) {
        buf.putLong(at + 8, v);
        return this;
    }

    public long entryValid() {
        return buf.getLong(at + 16);
    }

    public EntryOut entryValid(long v) {
        buf.putLong(at + 16, v);
        return this;
    }

    public long attrValid() {
        return buf.getLong(at + 24);
    }

    public EntryOut attrValid(long v) {
        buf.putLong(at + 24, v);
        return this;
    }

    public int entryValidNsec() {
        return buf.getInt(at + 32);
    }

    public EntryOut entryValidNsec(int v) {
        buf.putInt(at + 32, v);
        return this;
    }

    public int attrValidNsec() {
        return buf.getInt(at + 36);
    }

    public EntryOut attrValidNsec(int v) {
        buf.putInt(at + 36, v);
        return this;
    }

    private final Attr attr = new Attr();

    /** The embedded fuse_attr. */
    public Attr attr() {
        return attr.wrap(buf, at + 40);
    }

    @Override
    public EntryOut node(long nodeId) {
        return nodeId(nodeId);
    }

    @Override
    public long node() {
        return nodeId();
    }

    @Override
    public EntryOut entryValidFor(java.time.Duration validity) {
        return entryValid(validity.getSeconds()).entryValidNsec(validity.getNano());
    }

    @Override
    public EntryOut attributesValidFor(java.time.Duration validity) {
        return attrValid(validity.getSeconds()).attrValidNsec(validity.getNano());
    }

    @Override
    public Attr attributes() {
        return attr();
    }
}
