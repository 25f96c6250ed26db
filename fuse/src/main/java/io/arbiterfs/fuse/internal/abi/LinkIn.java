package io.arbiterfs.fuse.internal.abi;

/** fuse_link_in; followed by the new name. Size 8. */
public final class LinkIn extends Struct<LinkIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long oldNodeId() {
        return buf.getLong(at);
    }
}
