package io.arbiterfs.fuse;

import io.arbiterfs.fuse.platform.Errno;
import java.nio.ByteBuffer;

/**
 * Room in the reply buffer for a variable-length answer (READ data, READLINK target, xattr values).
 * A handler writes at most {@link #capacity()} bytes at {@link #address()} and returns the count.
 */
public final class Payload {
    private ByteBuffer buf;
    private long bufferAddress;
    private int offset;
    private int capacity;

    public Payload set(ByteBuffer buffer, long bufferAddress, int offset, int capacity) {
        this.buf = buffer;
        this.bufferAddress = bufferAddress;
        this.offset = offset;
        this.capacity = capacity;
        return this;
    }

    public long address() {
        return bufferAddress + offset;
    }

    public int capacity() {
        return capacity;
    }

    /** The reply buffer; payload bytes go at {@link #offset()}. */
    public ByteBuffer buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /**
     * Answers a GETXATTR/LISTXATTR with {@code value} by the xattr rule: a request of size 0 asks
     * only for the length; a value larger than the room is ERANGE; otherwise the bytes go here.
     *
     * @return the length, or -ERANGE
     */
    public int xattrReply(byte[] value, int requestedSize) {
        if (requestedSize == 0) {
            return value.length;
        }
        if (value.length > capacity) {
            return -Errno.ERANGE;
        }
        buf.put(offset, value);
        return value.length;
    }
}
