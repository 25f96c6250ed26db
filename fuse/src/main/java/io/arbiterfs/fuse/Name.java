package io.arbiterfs.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A file name inside a request buffer, NUL-terminated as the kernel sends it, so its address can go
 * straight to an *at() system call. Reused per worker: valid only while the request is handled.
 */
public final class Name {
    private ByteBuffer buf;
    private long bufferAddress;
    private int offset;
    private int length;

    public Name set(ByteBuffer buffer, long bufferAddress, int offset, int length) {
        this.buf = buffer;
        this.bufferAddress = bufferAddress;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Address of the first byte; a NUL follows the last one. */
    public long address() {
        return bufferAddress + offset;
    }

    public int length() {
        return length;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    public byte byteAt(int i) {
        return buf.get(offset + i);
    }

    public byte[] bytes() {
        byte[] b = new byte[length];
        buf.get(offset, b);
        return b;
    }

    /** True for the names that must never be created or looked up as ordinary entries. */
    public boolean isDotOrDotDot() {
        return (length == 1 && byteAt(0) == '.') || (length == 2 && byteAt(0) == '.' && byteAt(1) == '.');
    }

    public boolean isDotDot() {
        return length == 2 && byteAt(0) == '.' && byteAt(1) == '.';
    }

    /** A name with '/' could walk outside its directory; the kernel never sends one. */
    public boolean containsSlash() {
        for (int i = 0; i < length; i++) {
            if (byteAt(i) == '/') {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
