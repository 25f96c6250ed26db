package io.arbiterfs.harness.io;

import io.arbiterfs.fuse.platform.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;

/**
 * Linux native AIO (libaio's io_submit family) for O_DIRECT reads and writes, so the kernel's
 * asynchronous direct-IO path (FUSE_ASYNC_DIO: all chunks in flight at once) is exercised, as in
 * xfstests' aio-dio programs. One context per instance; use from one thread.
 */
public final class LibAio implements AutoCloseable {
    /** The libaio entry points; they return -errno instead of setting errno. */
    public interface Api {
        int io_setup(int maxEvents, long ctxPointer);
        int io_destroy(long ctx);
        int io_submit(long ctx, long count, long iocbPointers);
        int io_getevents(long ctx, long minNr, long nr, long events, long timeout);
    }

    private static final int IOCB_SIZE = 64;
    private static final int EVENT_SIZE = 32;
    private static final short IOCB_CMD_PREAD = 0;
    private static final short IOCB_CMD_PWRITE = 1;
    private static Api api;

    private final long ctx;
    private final int maxEvents;
    private final ByteBuffer iocbs;
    private final ByteBuffer pointers;
    private final ByteBuffer events;

    /** True when libaio.so.1 loads (package libaio1); tests needing AIO are not run otherwise. */
    public static synchronized boolean available() {
        try {
            api();
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    private static synchronized Api api() {
        if (api == null) {
            api = LibraryLoader.create(Api.class).load("aio");
        }
        return api;
    }

    public LibAio(int maxEvents) throws IOException {
        this.maxEvents = maxEvents;
        ByteBuffer ctxBuf = Native.buffer(8);
        int r = api().io_setup(maxEvents, Native.address(ctxBuf));
        if (r != 0) {
            throw new IOException("io_setup failed: errno " + -r);
        }
        ctx = ctxBuf.getLong(0);
        iocbs = Native.buffer(IOCB_SIZE * maxEvents);
        pointers = Native.buffer(8 * maxEvents);
        events = Native.buffer(EVENT_SIZE * maxEvents);
    }

    /** One queued request: {@code buf} must be 4 KiB aligned and stay untouched until {@link #submitAndWait} returns. */
    public record Request(boolean write, ByteBuffer buf, long offset) {}

    /**
     * Submits all requests at once and waits for every completion; fails if any completed short or
     * with an error (each result is checked, in submission order).
     */
    public void submitAndWait(int fd, Request... requests) throws IOException {
        if (requests.length > maxEvents) {
            throw new IllegalArgumentException("at most " + maxEvents + " requests at once");
        }
        long iocbBase = Native.address(iocbs);
        for (int i = 0; i < requests.length; i++) {
            Request q = requests[i];
            int at = i * IOCB_SIZE;
            for (int k = 0; k < IOCB_SIZE; k += 8) {
                iocbs.putLong(at + k, 0);
            }
            iocbs.putLong(at, i);                                    // aio_data: our index
            iocbs.putShort(at + 16, q.write() ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD);
            iocbs.putInt(at + 20, fd);                               // aio_fildes
            iocbs.putLong(at + 24, Native.address(q.buf()));         // aio_buf
            iocbs.putLong(at + 32, q.buf().limit());                 // aio_nbytes
            iocbs.putLong(at + 40, q.offset());                      // aio_offset
            pointers.putLong(i * 8, iocbBase + at);
        }
        int submitted = 0;
        while (submitted < requests.length) {
            int r = api.io_submit(ctx, requests.length - submitted, Native.address(pointers) + 8L * submitted);
            if (r < 0) {
                throw new IOException("io_submit failed: errno " + -r);
            }
            submitted += r;
        }
        long[] results = new long[requests.length];
        int done = 0;
        while (done < requests.length) {
            int r = api.io_getevents(ctx, 1, requests.length - done, Native.address(events), 0);
            if (r < 0) {
                if (-r == 4) { // EINTR
                    continue;
                }
                throw new IOException("io_getevents failed: errno " + -r);
            }
            ByteBuffer ev = events.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int e = 0; e < r; e++) {
                int index = (int) ev.getLong(e * EVENT_SIZE);
                results[index] = ev.getLong(e * EVENT_SIZE + 16);
            }
            done += r;
        }
        for (int i = 0; i < requests.length; i++) {
            long want = requests[i].buf().limit();
            if (results[i] != want) {
                String how = results[i] < 0 ? "errno " + -results[i] : results[i] + " of " + want + " bytes";
                throw new IOException(String.format("aio %s at offset %d: %s",
                        requests[i].write() ? "write" : "read", requests[i].offset(), how));
            }
        }
    }

    /** Opens {@code file} O_DIRECT for use with {@link #submitAndWait}. */
    public static int openDirect(Path file) throws IOException {
        return FileIo.openFd(file, true);
    }

    @Override
    public void close() {
        api.io_destroy(ctx);
    }
}
