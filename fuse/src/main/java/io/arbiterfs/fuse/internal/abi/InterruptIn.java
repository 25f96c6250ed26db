package io.arbiterfs.fuse.internal.abi;

/** fuse_interrupt_in. Size 8. */
public final class InterruptIn extends Struct<InterruptIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long unique() {
        return buf.getLong(at);
    }
}
