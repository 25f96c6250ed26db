package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.ReplyBuffer;
import java.nio.ByteBuffer;

/**
 * A window of an exchange's buffers: read-only request bytes ({@link DataView}) or room in the reply
 * ({@link ReplyBuffer}). One instance per use per exchange, re-aimed for every request.
 */
final class Bytes implements DataView, ReplyBuffer {
    private ByteBuffer buf;
    private ByteBuffer exposed;
    private long bufferAddress;
    private int offset;
    private int size;

    Bytes set(ByteBuffer buffer, ByteBuffer exposedBuffer, long bufferAddress, int offset, int size) {
        this.buf = buffer;
        this.exposed = exposedBuffer;
        this.bufferAddress = bufferAddress;
        this.offset = offset;
        this.size = size;
        return this;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int capacity() {
        return size;
    }

    @Override
    public byte get(int index) {
        return buf.get(offset + check(index, 1));
    }

    @Override
    public void get(int index, byte[] dst, int dstOffset, int length) {
        buf.get(offset + check(index, length), dst, dstOffset, length);
    }

    @Override
    public void put(int index, byte[] src, int srcOffset, int length) {
        buf.put(offset + check(index, length), src, srcOffset, length);
    }

    private int check(int index, int length) {
        if (index < 0 || length < 0 || index > size - length) {
            throw new IndexOutOfBoundsException("bytes [" + index + ", " + index + "+" + length + ") of " + size);
        }
        return index;
    }

    @Override
    public long address() {
        return bufferAddress + offset;
    }

    @Override
    public ByteBuffer buffer() {
        return exposed;
    }

    @Override
    public int bufferOffset() {
        return offset;
    }
}
