package io.arbiterfs.testkit.faults;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ForwardingFileSystem;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.platform.Errno;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test aid ({@code fault_*}, see {@link FaultOptions}): the backend as a failing disk would behave. A decorator of
 * the file system that does the IO (the passthrough), placed below the IO-mode arbitration, so a failed WRITE still goes through the IO-mode state and its
 * write grant is released as after any backend error. Only READ, WRITE and FSYNC fail. Faults are decided per call from a seeded counter hash (no shared RNG to contend
 * on); a given seed gives the same sequence of decisions, in whatever order the workers take them.
 *
 * <p>An injected error happens <em>instead</em> of the call; a short write really writes its first
 * half and reports that count, as a backend that ran out of room in the middle would.
 */
public final class FaultInjection<F, D> extends ForwardingFileSystem<F, D> {
    private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);
    private static final long POLL_NANOS = 1_000_000;

    private final FaultPlan plan;
    private final int[] errnos;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    public FaultInjection(FileSystem<F, D> backend, FaultPlan plan) {
        super(backend);
        this.plan = plan;
        this.errnos = plan.errnoValues();
        log.warn("fault injection is on (a test aid): {}", plan.render());
    }

    /** Faults injected so far (errors and short writes). */
    public long injected() {
        return injected.get();
    }

    @Override
    public int read(Request req, long node, F file, long offset, int size, ReplyBuffer out) {
        int fault = decide(req, false);
        return fault != 0 ? fault : super.read(req, node, file, offset, size, out);
    }

    @Override
    public int write(Request req, long node, F file, WriteArgs args, DataView data) {
        int fault = decide(req, args.size() > 1);
        if (fault == SHORT) {
            FirstHalf half = new FirstHalf(args, data);
            int n = super.write(req, node, file, half, half);
            log.debug("injected short write: {} of {} bytes at {}", n, args.size(), args.offset());
            return n;
        }
        return fault != 0 ? fault : super.write(req, node, file, args, data);
    }

    @Override
    public int fsync(Request req, long node, F file, boolean dataOnly) {
        int fault = decide(req, false);
        return fault != 0 ? fault : super.fsync(req, node, file, dataOnly);
    }

    /** A WRITE cut to its first half, as a backend that ran out of room in the middle would write it. */
    private record FirstHalf(WriteArgs args, DataView data) implements WriteArgs, DataView {
        @Override
        public long offset() {
            return args.offset();
        }

        @Override
        public int size() {
            return args.size() / 2;
        }

        @Override
        public boolean isWriteback() {
            return args.isWriteback();
        }

        @Override
        public boolean killSuidGid() {
            return args.killSuidGid();
        }

        @Override
        public int openFlags() {
            return args.openFlags();
        }

        @Override
        public long lockOwner() {
            return args.lockOwner();
        }

        @Override
        public byte get(int index) {
            return data.get(index);
        }

        @Override
        public void get(int index, byte[] dst, int dstOffset, int length) {
            data.get(index, dst, dstOffset, length);
        }

        @Override
        public long address() {
            return data.address();
        }

        @Override
        public ByteBuffer buffer() {
            return data.buffer();
        }

        @Override
        public int bufferOffset() {
            return data.bufferOffset();
        }
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
