package io.arbiterfs.fuse.internal.uring;

import io.arbiterfs.fuse.platform.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;

/**
 * The memory of one ring entry: a 4 KiB header page (struct fuse_uring_req_header) followed directly by the payload,
 * in one anonymous mapping, so one native-order buffer covers both: headers at 0, payload at {@link #PAYLOAD}. The
 * iovec pair the kernel is given at REGISTER lives in the same mapping's header page and so as long as the entry.
 */
final class RingEntry implements AutoCloseable {
    /** Where the payload starts in {@link #buffer()}. */
    static final int PAYLOAD = 4096;
    private static final int IOVECS = 2048; // inside the header page, after the 288 bytes the kernel uses
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_POPULATE_WRITE = 23;
    private static final UringSys sys = UringSys.get();

    private final Pointer map;
    private final long length;
    private final ByteBuffer buffer;
    private final long address;
    private final int payloadSize;

    /** An entry with {@code payloadSize} bytes of payload (a multiple of 4096), pre-faulted by the calling thread. */
    RingEntry(int payloadSize) throws IOException {
        this.payloadSize = payloadSize;
        this.length = PAYLOAD + (long) payloadSize;
        Pointer p = sys.mmap(null, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
        if (p == null || p.address() == -1L) {
            throw new IOException("mmap of a " + length + "-byte ring entry failed: errno " + Native.errno());
        }
        map = p;
        sys.madvise(p, length, MADV_POPULATE_WRITE); // best effort (5.14+): the pages exist before the first request
        address = p.address();
        buffer = com.kenai.jffi.MemoryIO.getInstance().newDirectByteBuffer(address, (int) length).order(ByteOrder.nativeOrder());
        buffer.putLong(IOVECS, address).putLong(IOVECS + 8, PAYLOAD)
                .putLong(IOVECS + 16, address + PAYLOAD).putLong(IOVECS + 24, payloadSize);
    }

    /** Header page and payload, native order. */
    ByteBuffer buffer() {
        return buffer;
    }

    long address() {
        return address;
    }

    int payloadSize() {
        return payloadSize;
    }

    /** The address of the {@code struct iovec[2]} to give REGISTER. */
    long iovecs() {
        return address + IOVECS;
    }

    @Override
    public void close() {
        sys.munmap(map, length);
    }
}
