package io.arbiterfs.fuse.internal.uring;

import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import io.arbiterfs.fuse.internal.dispatch.RequestContext;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that owns one io_uring and a few entries of one FUSE queue, for as long as the connection lives:
 * the kernel runs each entry's request hand-over in the context of the task that submitted the entry's last SQE, and
 * fails that entry's requests with ECANCELED once that task is gone, so nothing else ever submits to this ring and
 * this thread never ends before the connection does.
 *
 * <p>Life: {@link #prepare} (pin to the queue's CPU, make the ring and the entries, from this thread) → wait for the
 * INIT reply → REGISTER every entry → serve: each completion with res 0 is a request, dispatched inline through the
 * same table as /dev/fuse, answered in the entry and committed with COMMIT_AND_FETCH in the next enter, which also
 * waits for the next request. Entries retire on -ENOTCONN (unmount, abort), -ECANCELED, -ECONNABORTED, or a failed
 * REGISTER; the thread ends when all its entries have.
 */
final class RingThread extends Thread {
    private static final Logger log = LoggerFactory.getLogger(RingThread.class);
    private static final UringSys sys = UringSys.get();

    private final int qid;
    private final int fuseFd;
    private final int depth;
    private final int payloadSize;
    private final boolean pin;
    private final OpTable<?, ?> table;
    private final CountDownLatch prepared;
    private final CountDownLatch start;
    private final Runnable onExit;
    private final Exchange exchange = Exchange.forRing();
    /** Requests this thread served; written by it alone. */
    private final AtomicLong served = new AtomicLong();
    private volatile boolean calledOff;
    private IoUring ring;
    private RingEntry[] entries;
    private ByteBuffer[] readOnly;
    private long[] commitIds;
    private boolean[] dead;
    private int alive;
    private volatile String failure;
    private volatile boolean started;

    RingThread(String name, int qid, int fuseFd, int depth, int payloadSize, boolean pin, OpTable<?, ?> table,
               CountDownLatch prepared, CountDownLatch start, Runnable onExit) {
        super(name);
        setDaemon(true);
        this.qid = qid;
        this.fuseFd = fuseFd;
        this.depth = depth;
        this.payloadSize = payloadSize;
        this.pin = pin;
        this.table = table;
        this.prepared = prepared;
        this.start = start;
        this.onExit = onExit;
    }

    int qid() {
        return qid;
    }

    /** The request this thread's exchange carries (for interrupts). */
    RequestContext request() {
        return exchange.request();
    }

    /** Why preparing failed, or null. */
    String failure() {
        return failure;
    }

    /** Whether this thread got past preparing and was let go to register (then it will exit on its own). */
    boolean started() {
        return started;
    }

    @Override
    public void run() {
        try {
            if (!prepare()) {
                return;
            }
            start.await(); // until the INIT reply with FUSE_OVER_IO_URING is written, or the ring is called off
            if (calledOff) {
                return;
            }
            started = true;
            serve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("ring thread {} failed", getName(), e);
        } finally {
            close();
            if (started) {
                onExit.run(); // only threads that served count towards the connection's end
            }
        }
    }

    /** Called off before it started (the INIT reply goes out without io_uring): it frees its memory and ends. */
    void callOff() {
        calledOff = true;
    }

    /** Requests served so far. */
    long served() {
        return served.get();
    }

    private boolean prepare() {
        try {
            if (pin) {
                pinTo(qid);
            }
            ring = new IoUring(depth + 1, 2 * (depth + 1));
            entries = new RingEntry[depth];
            readOnly = new ByteBuffer[depth];
            commitIds = new long[depth];
            dead = new boolean[depth];
            for (int i = 0; i < depth; i++) {
                entries[i] = new RingEntry(payloadSize);
                readOnly[i] = entries[i].buffer().asReadOnlyBuffer().order(entries[i].buffer().order());
            }
            alive = depth;
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            failure = e.toString();
            close();
            return false;
        } finally {
            prepared.countDown();
        }
    }

    /** Best effort: the requests of queue {@code cpu} come from that CPU, serving them there keeps caches warm. */
    private static void pinTo(int cpu) {
        ByteBuffer mask = Native.buffer(128);
        mask.put(cpu / 8, (byte) (1 << (cpu % 8)));
        int rc = sys.sched_setaffinity(0, 128, jnr.ffi.Pointer.wrap(jnr.ffi.Runtime.getSystemRuntime(), Native.address(mask)));
        if (rc != 0) {
            log.debug("cannot pin ring thread to CPU {}: errno {}", cpu, Native.errno());
        }
        java.lang.ref.Reference.reachabilityFence(mask);
    }

    private void serve() {
        for (int i = 0; i < depth; i++) {
            queueRegister(i);
        }
        while (alive > 0) {
            int r = ring.enter(1);
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                log.error("ring thread {}: io_uring_enter failed with errno {}; the queue stops", getName(), -r);
                return;
            }
            ring.reap(this::completed);
        }
        log.debug("ring thread {}: all entries retired", getName());
    }

    private void queueRegister(int i) {
        FuseRingAbi.register(ring.sqes(), ring.nextSqe(), fuseFd, entries[i].iovecs(), qid, i);
    }

    private void queueCommit(int i) {
        FuseRingAbi.commitAndFetch(ring.sqes(), ring.nextSqe(), fuseFd, commitIds[i], qid, i);
    }

    private void completed(long userData, int res, int flags) {
        int i = (int) userData;
        if (i < 0 || i >= depth || dead[i]) {
            log.warn("ring thread {}: completion for unknown entry {} (res {})", getName(), userData, res);
            return;
        }
        if (res == 0) {
            handle(i);
            return;
        }
        if (res == -Errno.EAGAIN || res == -Errno.EINTR) {
            // not taken yet (e.g. REGISTER racing the end of INIT): the same command again
            if (commitIds[i] == 0) {
                queueRegister(i);
            } else {
                queueCommit(i);
            }
            return;
        }
        if (res != -Errno.ENOTCONN && res != -Errno.ECANCELED && res != -Errno.ECONNABORTED) {
            log.warn("ring thread {}: entry {} ended with errno {}", getName(), i, -res);
        }
        dead[i] = true;
        alive--;
    }

    /** A request arrived in entry {@code i}: run it, answer in the entry, and commit with the next enter. */
    private void handle(int i) {
        RingEntry e = entries[i];
        ByteBuffer b = e.buffer();
        commitIds[i] = b.getLong(FuseRingAbi.HEADER_COMMIT_ID);
        int payload = b.getInt(FuseRingAbi.HEADER_PAYLOAD_SIZE);
        table.dispatchRing(exchange, b, readOnly[i], e.address(), RingEntry.PAYLOAD, e.payloadSize(), payload,
                FuseRingAbi.HEADER_PAYLOAD_SIZE);
        served.lazySet(served.get() + 1);
        queueCommit(i);
    }

    private void close() {
        if (ring != null) {
            ring.close();
            ring = null;
        }
        RingEntry[] es = entries;
        if (es != null) {
            for (RingEntry e : es) {
                if (e != null) {
                    e.close();
                }
            }
        }
    }
}
