package io.arbiterfs.fuse;

import java.nio.ByteBuffer;

/**
 * Read-only bytes of a request: a WRITE's data, a SETXATTR's value. They sit in the request thread's
 * buffer, so they can go to a system call by {@link #address()} without a copy. Valid only during the call.
 */
public interface DataView {
    /** Number of bytes. */
    int size();

    /** Byte {@code index} (0 ≤ index &lt; size). */
    byte get(int index);

    /** Copies {@code length} bytes starting at {@code index} into {@code dst} at {@code dstOffset}. */
    void get(int index, byte[] dst, int dstOffset, int length);

    /** All bytes, copied into a new array. */
    default byte[] toArray() {
        byte[] b = new byte[size()];
        get(0, b, 0, b.length);
        return b;
    }

    /** The native address of the first byte, for system calls; valid only during the call. */
    long address();

    /**
     * A read-only buffer over the request memory: the bytes are {@code [bufferOffset(), bufferOffset() + size())}. Use
     * absolute gets; the buffer is shared by the request thread's requests.
     */
    ByteBuffer buffer();

    /** Where the bytes start in {@link #buffer()}. */
    int bufferOffset();
}
