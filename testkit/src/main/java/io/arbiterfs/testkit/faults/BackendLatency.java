package io.arbiterfs.testkit.faults;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ForwardingFileSystem;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import java.util.concurrent.locks.LockSupport;

/**
 * A test and benchmark aid ({@code backend_latency_us=N}, see {@link FaultOptions}): every backend WRITE waits N
 * microseconds before it reaches the wrapped file system, as a slow device would, without making the daemon's own
 * CPU path any slower. It sits below the IO-mode arbitration (inside the write lock), so it shows whether
 * writes that the kernel lets run in parallel also overlap in the daemon: with 4 writers and
 * 1000 µs, writes that overlap give close to 4 × 1000 IOPS, serialized ones at most 1000.
 *
 * <p>Accuracy: {@link LockSupport#parkNanos} oversleeps by the timer slack (50 µs by default on
 * Linux) plus wake-up latency, so the wait parks until {@link #SPIN_NANOS} before the deadline and
 * spins the rest. Waits shorter than that spin entirely. Measured waits are within a few µs of N
 * when a core is free; the spinning costs up to {@link #SPIN_NANOS} of CPU per write.
 */
public final class BackendLatency<F, D> extends ForwardingFileSystem<F, D> {
    /** The tail of each wait that is spun rather than parked (the timer slack plus a margin). */
    static final long SPIN_NANOS = 80_000;

    private final long nanos;

    public BackendLatency(FileSystem<F, D> backend, int micros) {
        super(backend);
        if (micros < 0) {
            throw new IllegalArgumentException("latency must be >= 0 µs, not " + micros);
        }
        this.nanos = micros * 1_000L;
    }

    @Override
    public int write(Request req, long node, F file, WriteArgs args, DataView data) {
        waitFor(nanos);
        return super.write(req, node, file, args, data);
    }

    /** Waits {@code nanos}: parks for most of it, spins the last {@link #SPIN_NANOS}. */
    static void waitFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left; (left = deadline - System.nanoTime()) > SPIN_NANOS; ) {
            LockSupport.parkNanos(left - SPIN_NANOS);
        }
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
