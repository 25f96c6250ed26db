package io.arbiterfs.fuse.internal.uring;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Native;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;

/**
 * One io_uring with 128-byte SQEs (IORING_SETUP_SQE128, which URING_CMD for FUSE needs), owned by one thread: only
 * that thread fills SQEs, submits and reaps. The four index words shared with the kernel are read with acquire and
 * written with release semantics through VarHandles over native-order direct buffers; SQE and CQE bodies are plain
 * accesses ordered by those. Layouts: include/uapi/linux/io_uring.h (struct io_uring_params, io_sqring_offsets,
 * io_cqring_offsets, io_uring_sqe, io_uring_cqe).
 */
final class IoUring implements AutoCloseable {
    static final int SETUP_CQSIZE = 1 << 3;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_SQE128 = 1 << 10;
    static final int FEAT_SINGLE_MMAP = 1;
    static final int ENTER_GETEVENTS = 1;
    static final int SQE_SIZE = 128;
    static final int CQE_SIZE = 16;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_SQES = 0x10000000L;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    private static final int PARAMS_SIZE = 120;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final UringSys sys = UringSys.get();
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getSystemRuntime();

    /** What one completion says. */
    interface CompletionHandler {
        void completed(long userData, int res, int flags);
    }

    private final int fd;
    private final Pointer ringMap;
    private final long ringBytes;
    private final Pointer sqeMap;
    private final long sqeBytes;
    private final ByteBuffer ring;
    private final ByteBuffer sqes;
    private final int sqHead;
    private final int sqTail;
    private final int sqMask;
    private final int sqEntries;
    private final int sqArray;
    private final int cqHead;
    private final int cqTail;
    private final int cqMask;
    private final int cqes;
    private int localTail;
    private int toSubmit;

    /**
     * A ring of {@code entries} SQEs and {@code cqEntries} CQEs.
     *
     * @throws IOException naming the errno when the kernel refuses (EPERM where io_uring is disabled, ENOMEM, …)
     */
    IoUring(int entries, int cqEntries) throws IOException {
        ByteBuffer params = Native.buffer(PARAMS_SIZE);
        params.putInt(4, cqEntries).putInt(8, SETUP_SQE128 | SETUP_CQSIZE | SETUP_SUBMIT_ALL);
        long r = sys.syscall(UringSys.SYS_IO_URING_SETUP, entries, Pointer.wrap(RUNTIME, Native.address(params)));
        if (r < 0) {
            throw new IOException("io_uring_setup failed: errno " + Native.errno());
        }
        fd = (int) r;
        try {
            if ((params.getInt(20) & FEAT_SINGLE_MMAP) == 0) {
                throw new IOException("io_uring without IORING_FEAT_SINGLE_MMAP (kernel too old)");
            }
            int sqEntriesP = params.getInt(0);
            int cqEntriesP = params.getInt(4);
            int sqOff = 40;
            int cqOff = 80;
            long sqSize = Integer.toUnsignedLong(params.getInt(sqOff + 24)) + 4L * sqEntriesP;
            long cqSize = Integer.toUnsignedLong(params.getInt(cqOff + 20)) + (long) CQE_SIZE * cqEntriesP;
            ringBytes = Math.max(sqSize, cqSize);
            ringMap = map(ringBytes, OFF_SQ_RING);
            sqeBytes = (long) SQE_SIZE * sqEntriesP;
            sqeMap = map(sqeBytes, OFF_SQES);
            ring = buffer(ringMap, ringBytes);
            sqes = buffer(sqeMap, sqeBytes);
            sqHead = params.getInt(sqOff);
            sqTail = params.getInt(sqOff + 4);
            sqMask = ring.getInt(params.getInt(sqOff + 8));
            sqEntries = ring.getInt(params.getInt(sqOff + 12));
            sqArray = params.getInt(sqOff + 24);
            cqHead = params.getInt(cqOff);
            cqTail = params.getInt(cqOff + 4);
            cqMask = ring.getInt(params.getInt(cqOff + 8));
            cqes = params.getInt(cqOff + 20);
            localTail = (int) INT.getAcquire(ring, sqTail);
        } catch (IOException | RuntimeException e) {
            sys.close(fd);
            throw e;
        }
    }

    private Pointer map(long length, long offset) throws IOException {
        Pointer p = sys.mmap(null, length, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, offset);
        if (p == null || p.address() == -1L) {
            throw new IOException("mmap of the io_uring at offset " + Long.toHexString(offset) + " failed: errno " + Native.errno());
        }
        return p;
    }

    private static ByteBuffer buffer(Pointer p, long length) {
        return com.kenai.jffi.MemoryIO.getInstance().newDirectByteBuffer(p.address(), (int) length)
                .order(ByteOrder.nativeOrder());
    }

    /** The ring's file descriptor. */
    int fd() {
        return fd;
    }

    /** The SQE buffer: an SQE from {@link #nextSqe()} is the 128 bytes at the returned offset. */
    ByteBuffer sqes() {
        return sqes;
    }

    /** Reserves the next SQE, zeroed; returns its offset in {@link #sqes()}. Queued until the next {@link #enter}. */
    int nextSqe() {
        int head = (int) INT.getAcquire(ring, sqHead);
        if (localTail - head == sqEntries) {
            throw new IllegalStateException("io_uring submission queue full (" + sqEntries + " entries)");
        }
        int index = localTail & sqMask;
        int at = index * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) {
            sqes.putLong(at + i, 0);
        }
        ring.putInt(sqArray + 4 * index, index);
        localTail++;
        toSubmit++;
        return at;
    }

    /**
     * Publishes the queued SQEs and enters the kernel, waiting for at least {@code minComplete} completions.
     * EINTR and EBUSY/EAGAIN (completions to reap first) end the wait early: call {@link #reap} and enter again.
     *
     * @return the number of SQEs the kernel consumed, or -errno
     */
    int enter(int minComplete) {
        INT.setRelease(ring, sqTail, localTail);
        int submitting = toSubmit;
        long r = sys.syscall(UringSys.SYS_IO_URING_ENTER, fd, submitting, minComplete,
                minComplete > 0 ? ENTER_GETEVENTS : 0, null);
        if (r < 0) {
            int e = Native.errno();
            return e == 0 ? -Errno.EIO : -e;
        }
        toSubmit -= (int) Math.min(r, submitting);
        return (int) r;
    }

    /** SQEs queued but not yet taken by the kernel. */
    int pending() {
        return toSubmit;
    }

    /** Hands every completion waiting in the CQ to {@code handler}; returns how many there were. Allocates nothing. */
    int reap(CompletionHandler handler) {
        int head = (int) INT.getAcquire(ring, cqHead);
        int tail = (int) INT.getAcquire(ring, cqTail);
        int n = 0;
        while (head != tail) {
            int at = cqes + (head & cqMask) * CQE_SIZE;
            long userData = ring.getLong(at);
            int res = ring.getInt(at + 8);
            int flags = ring.getInt(at + 12);
            head++;
            INT.setRelease(ring, cqHead, head); // before the handler: it may submit and wait again
            handler.completed(userData, res, flags);
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        sys.munmap(sqeMap, sqeBytes);
        sys.munmap(ringMap, ringBytes);
        sys.close(fd);
    }
}
