package io.arbiterfs.fuse.internal.abi;

import java.nio.ByteBuffer;

/**
 * A fixed-layout view over a little-endian off-heap buffer: one subclass per ABI struct, reused by
 * its worker thread (no allocation per request). A view is valid only until its buffer is reused.
 */
public abstract class Struct<T extends Struct<T>> {
    protected ByteBuffer buf;
    protected int at;

    /** Point this view at {@code offset} of {@code buffer}. */
    @SuppressWarnings("unchecked")
    public final T wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.at = offset;
        return (T) this;
    }

    public final int structOffset() {
        return at;
    }

    /** The struct's size in bytes. */
    public abstract int structSize();

    /** Zero the struct's bytes (replies start clean so reserved fields are 0); sizes are multiples of 8. */
    @SuppressWarnings("unchecked")
    public final T clear() {
        for (int i = 0; i < structSize(); i += 8) {
            buf.putLong(at + i, 0);
        }
        return (T) this;
    }
}
