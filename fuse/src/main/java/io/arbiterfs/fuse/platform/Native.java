package io.arbiterfs.fuse.platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** errno of the calling thread, and off-heap buffers with their native addresses. */
public final class Native {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();

    private Native() {}

    /** errno of the last failing call on this thread made through a jnr-ffi binding with {@code @SaveError} (the default). */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** A direct, little-endian buffer whose address is a multiple of {@code alignment}. */
    public static ByteBuffer alignedBuffer(int capacity, int alignment) {
        // alignedSlice also rounds the end down to the alignment, hence the extra room
        ByteBuffer raw = ByteBuffer.allocateDirect(capacity + 2 * alignment);
        return raw.alignedSlice(alignment).limit(capacity).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A direct, little-endian buffer. */
    public static ByteBuffer buffer(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The native address of a direct buffer's first byte (position 0). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return Pointer.wrap(RUNTIME, direct).address();
    }
}
