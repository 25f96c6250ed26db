package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.Name;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A {@link Name} over a NUL-terminated name in a request buffer; one per name slot of an exchange. */
final class NameView implements Name {
    private ByteBuffer buf;
    private ByteBuffer readOnly;
    private long bufferAddress;
    private int offset;
    private int length;

    NameView set(ByteBuffer buffer, ByteBuffer readOnlyBuffer, long bufferAddress, int offset, int length) {
        this.buf = buffer;
        this.readOnly = readOnlyBuffer;
        this.bufferAddress = bufferAddress;
        this.offset = offset;
        this.length = length;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public byte byteAt(int i) {
        return buf.get(offset + i);
    }

    @Override
    public long address() {
        return bufferAddress + offset;
    }

    @Override
    public ByteBuffer buffer() {
        return readOnly;
    }

    @Override
    public int bufferOffset() {
        return offset;
    }

    @Override
    public String toString() {
        byte[] b = new byte[length];
        buf.get(offset, b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
