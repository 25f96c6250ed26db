package io.arbiterfs.daemon.faults;

import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.passthrough.BackingIo;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test aid: the backend as a failing disk would behave. Wraps the {@link BackingIo} of a
 * {@link io.arbiterfs.daemon.passthrough.PassthroughFs}, i.e. sits below the coherence layer, so a
 * failed WRITE still goes through the IO-mode table and its write grant is released as after any
 * backend error. Faults are decided per call from a seeded counter hash (no shared RNG to contend
 * on); a given seed gives the same sequence of decisions, in whatever order the workers take them.
 *
 * <p>An injected error happens <em>instead</em> of the call; a short write really writes its first
 * half and reports that count, as a backend that ran out of room in the middle would.
 */
public final class FaultInjectingIo implements BackingIo {
    private static final Logger log = LoggerFactory.getLogger(FaultInjectingIo.class);
    private static final long POLL_NANOS = 1_000_000;

    private final BackingIo real;
    private final FaultPlan plan;
    private final int[] errnos;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    public FaultInjectingIo(BackingIo real, FaultPlan plan) {
        this.real = real;
        this.plan = plan;
        this.errnos = plan.errnoValues();
        log.warn("fault injection is on (a test aid): {}", plan.render());
    }

    /** Faults injected so far (errors and short writes). */
    public long injected() {
        return injected.get();
    }

    @Override
    public long pread(Request req, int fd, long address, int length, long offset) {
        int fault = decide(req, false);
        return fault != 0 ? fault : real.pread(req, fd, address, length, offset);
    }

    @Override
    public long pwrite(Request req, int fd, long address, int length, long offset) {
        int fault = decide(req, length > 1);
        if (fault == SHORT) {
            long n = real.pwrite(req, fd, address, length / 2, offset);
            log.debug("injected short write: {} of {} bytes at {}", n, length, offset);
            return n;
        }
        return fault != 0 ? fault : real.pwrite(req, fd, address, length, offset);
    }

    @Override
    public int fsync(Request req, int fd, boolean dataOnly) {
        int fault = decide(req, false);
        return fault != 0 ? fault : real.fsync(req, fd, dataOnly);
    }

    private static final int SHORT = 1;

    /** 0 to make the real call, {@link #SHORT} for a short write, or -errno. */
    private int decide(Request req, boolean mayBeShort) {
        if (plan.delayMillis() > 0 && !pause(req)) {
            return -Errno.EINTR; // the caller gave up (FUSE_INTERRUPT) while the "disk" was slow
        }
        if (plan.ratePermille() == 0) {
            return 0;
        }
        long h = mix(plan.seed() + calls.getAndIncrement() * 0x9E3779B97F4A7C15L);
        if (Long.remainderUnsigned(h, 1000) >= plan.ratePermille()) {
            return 0;
        }
        injected.incrementAndGet();
        int choices = errnos.length + (mayBeShort && plan.shortWrites() ? 1 : 0);
        int pick = (int) Long.remainderUnsigned(h >>> 20, choices);
        if (pick == errnos.length) {
            return SHORT;
        }
        log.debug("injected errno {} into request {}", errnos[pick], req.unique());
        return -errnos[pick];
    }

    /** Sleeps the plan's delay; false if the request was interrupted meanwhile. */
    private boolean pause(Request req) {
        long end = System.nanoTime() + plan.delayMillis() * 1_000_000L;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            if (req.interrupted()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, POLL_NANOS));
        }
        return !req.interrupted();
    }

    /** SplitMix64's finalizer: a well-spread hash of the call number. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
