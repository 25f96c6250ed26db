package io.arbiterfs.fuse;

import io.arbiterfs.fuse.platform.Errno;
import java.nio.ByteBuffer;

/**
 * Room in the reply for a variable-length answer: READ data, a READLINK target, an xattr value or name list.
 * Write at most {@link #capacity()} bytes and return how many; they sit in the request thread's reply buffer,
 * so a system call can fill them by {@link #address()} without a copy. Valid only during the call.
 */
public interface ReplyBuffer {
    /** The most bytes the reply can take. */
    int capacity();

    /** Writes {@code length} bytes of {@code src} from {@code srcOffset} at {@code index} of the reply. */
    void put(int index, byte[] src, int srcOffset, int length);

    /** Writes all of {@code src} at {@code index}. */
    default void put(int index, byte[] src) {
        put(index, src, 0, src.length);
    }

    /** The native address of the first byte, for system calls such as pread(2). */
    long address();

    /** A buffer over the reply memory: the room is {@code [bufferOffset(), bufferOffset() + capacity())}; use absolute puts. */
    ByteBuffer buffer();

    /** Where the room starts in {@link #buffer()}. */
    int bufferOffset();

    /**
     * Answers a GETXATTR or LISTXATTR with {@code value} by the xattr rule: a request of size 0 asks only for the
     * length; a value larger than the room is {@code -ERANGE}; otherwise the bytes go here.
     *
     * @param requestedSize the size the caller asked for (the {@code size} argument of the request)
     * @return the length, or -ERANGE
     */
    default int xattr(byte[] value, int requestedSize) {
        if (requestedSize == 0) {
            return value.length;
        }
        if (value.length > capacity()) {
            return -Errno.ERANGE;
        }
        put(0, value);
        return value.length;
    }
}
