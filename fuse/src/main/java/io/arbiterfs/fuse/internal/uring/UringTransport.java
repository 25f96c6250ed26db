package io.arbiterfs.fuse.internal.uring;

import io.arbiterfs.fuse.internal.dispatch.OpTable;
import io.arbiterfs.fuse.internal.dispatch.RequestContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * FUSE over io_uring for one connection: one queue per possible CPU, each served by {@code threadsPerQueue} ring
 * threads with {@code depth} entries each, so a request stuck in a slow backend holds one thread and its entries, not
 * the queue. All queues are registered or none: the kernel serves nothing until every queue has an entry.
 *
 * <p>Order (fs/fuse/dev_uring.c, fs/fuse/inode.c process_init_reply): {@link #prepare} before the INIT reply (rings
 * and buffers made by their own threads; false means reply without FUSE_OVER_IO_URING), {@link #start} right after
 * the reply was written (REGISTER is refused with EAGAIN before), {@link #callOff} if the reply went out without it.
 */
public final class UringTransport {
    private final int queues;
    private final int threadsPerQueue;
    private final int depth;
    private final List<RingThread> threads = new ArrayList<>();
    private final CountDownLatch start = new CountDownLatch(1);

    private UringTransport(int queues, int threadsPerQueue, int depth) {
        this.queues = queues;
        this.threadsPerQueue = threadsPerQueue;
        this.depth = depth;
    }

    /**
     * Makes the rings, entries and threads for every queue and waits until each is ready or failed.
     *
     * @param onThreadExit called once by each ring thread that ends
     * @return the transport, ready to {@link #start}
     * @throws IOException naming what failed (io_uring disabled, out of memory, …); nothing is left behind then
     */
    public static UringTransport prepare(String name, int fuseFd, int threadsPerQueue, int depth, int maxWrite,
                                         int maxPages, boolean pin, OpTable<?, ?> table, Runnable onThreadExit)
            throws IOException {
        int queues = PossibleCpus.count();
        UringTransport t = new UringTransport(queues, threadsPerQueue, depth);
        int payload = FuseRingAbi.payloadSize(maxWrite, maxPages);
        CountDownLatch prepared = new CountDownLatch(queues * threadsPerQueue);
        for (int q = 0; q < queues; q++) {
            for (int k = 0; k < threadsPerQueue; k++) {
                RingThread r = new RingThread("fuse-" + name + "-ring-q" + q + "-" + k, q, fuseFd, depth, payload, pin, table,
                        prepared, t.start, onThreadExit);
                t.threads.add(r);
                r.start();
            }
        }
        try {
            if (!prepared.await(30, TimeUnit.SECONDS)) {
                t.callOff();
                throw new IOException("io_uring rings not ready within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.callOff();
            throw new IOException("interrupted while preparing io_uring rings", e);
        }
        for (RingThread r : t.threads) {
            if (r.failure() != null) {
                String why = r.failure();
                t.callOff();
                throw new IOException(why);
            }
        }
        return t;
    }

    /** The INIT reply granting FUSE_OVER_IO_URING is out: every thread registers its entries and serves. */
    public void start() {
        start.countDown();
    }

    /** The rings will not be used: the threads free their memory and end. */
    public void callOff() {
        threads.forEach(RingThread::callOff);
        start.countDown();
    }

    public int threadCount() {
        return threads.size();
    }

    public int queues() {
        return queues;
    }

    public int threadsPerQueue() {
        return threadsPerQueue;
    }

    public int depth() {
        return depth;
    }

    /** Requests served so far by each queue. */
    public long[] servedPerQueue() {
        long[] n = new long[queues];
        for (RingThread r : threads) {
            n[r.qid()] += r.served();
        }
        return n;
    }

    /** The requests the ring threads carry right now (for FUSE_INTERRUPT). */
    public List<RequestContext> requests() {
        List<RequestContext> all = new ArrayList<>(threads.size());
        threads.forEach(r -> all.add(r.request()));
        return all;
    }

    /** The ring thread the caller is, or null. */
    static RingThread current() {
        return Thread.currentThread() instanceof RingThread r ? r : null;
    }

    /** The queue the calling ring thread serves, or -1 if the caller is no ring thread. */
    public static int currentQueue() {
        RingThread r = current();
        return r == null ? -1 : r.qid();
    }

    @Override
    public String toString() {
        return "io_uring (" + queues + " queues x " + threadsPerQueue + " threads, " + depth + " entries each)";
    }
}
