package io.arbiterfs.jnrfuse.mounted;

import io.arbiterfs.jnrfuse.LibFuse2Abi;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * A jnr-fuse file system whose {@code write()} waits on a {@value #PARTIES}-party barrier: it returns only once four
 * writes are inside the file system at the same time, or fails with ETIMEDOUT after {@value #WAIT_MS} ms. So four
 * concurrent writers succeed only where the kernel lets their writes run in parallel. {@code /data} is a 1 MiB file
 * (writes within it do not extend it); {@code /stats} reports the peak of writes in flight and the outcomes (opened
 * with direct_io set in fuse_file_info, so reads reach the file system whatever its size says).
 */
public class BarrierFs extends FuseStubFS {
    static final int PARTIES = 4;
    static final long WAIT_MS = 2000;
    static final long SIZE = 1 << 20;

    private final CyclicBarrier barrier = new CyclicBarrier(PARTIES);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger met = new AtomicInteger();
    private final AtomicInteger timedOut = new AtomicInteger();

    @Override
    public int getattr(String path, FileStat stat) {
        switch (path) {
            case "/" -> stat.st_mode.set(FileStat.S_IFDIR | 0755);
            case "/data" -> {
                stat.st_mode.set(FileStat.S_IFREG | 0666);
                stat.st_size.set(SIZE);
            }
            case "/stats" -> stat.st_mode.set(FileStat.S_IFREG | 0444);
            default -> {
                return -ErrorCodes.ENOENT();
            }
        }
        stat.st_nlink.set(1);
        return 0;
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, long offset, FuseFileInfo fi) {
        for (String name : new String[] {".", "..", "data", "stats"}) {
            filter.apply(buf, name, null, 0);
        }
        return 0;
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        if (path.equals("/stats")) {
            Struct.getMemory(fi).putInt(LibFuse2Abi.FILE_INFO_BITS, LibFuse2Abi.FILE_INFO_DIRECT_IO);
        }
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        if (!path.equals("/stats")) {
            buf.setMemory(0, size, (byte) 0);
            return (int) size;
        }
        byte[] text = ("peak=" + peak.get() + " met=" + met.get() + " timedout=" + timedOut.get() + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        int n = (int) Math.max(0, Math.min(size, text.length - offset));
        buf.put(0, text, (int) offset, n);
        return n;
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            barrier.await(WAIT_MS, TimeUnit.MILLISECONDS);
            met.incrementAndGet();
            return (int) size;
        } catch (TimeoutException | BrokenBarrierException e) {
            timedOut.incrementAndGet();
            barrier.reset();
            return -ErrorCodes.ETIMEDOUT();
        } catch (InterruptedException e) {
            return -ErrorCodes.EINTR();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public int truncate(String path, long size) {
        return 0;
    }
}
