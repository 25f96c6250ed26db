package io.arbiterfs.daemon.faults;

import io.arbiterfs.fuse.Request;
import io.arbiterfs.daemon.passthrough.BackingIo;
import java.util.concurrent.locks.LockSupport;

/**
 * A test and benchmark aid ({@code -o backend_latency_us=N}): every backend WRITE waits N
 * microseconds before the real pwrite, as a slow device would, without making the daemon's own CPU
 * path any slower. It sits below the coherence layer (inside the write lock), so it shows whether
 * writes that the kernel lets run in parallel also overlap in the daemon: with 4 writers and
 * 1000 µs, writes that overlap give close to 4 × 1000 IOPS, serialized ones at most 1000.
 *
 * <p>Accuracy: {@link LockSupport#parkNanos} oversleeps by the timer slack (50 µs by default on
 * Linux) plus wake-up latency, so the wait parks until {@link #SPIN_NANOS} before the deadline and
 * spins the rest. Waits shorter than that spin entirely. Measured waits are within a few µs of N
 * when a core is free; the spinning costs up to {@link #SPIN_NANOS} of CPU per write.
 */
public final class LatencyIo implements BackingIo {
    /** The tail of each wait that is spun rather than parked (the timer slack plus a margin). */
    static final long SPIN_NANOS = 80_000;

    private final BackingIo real;
    private final long nanos;

    public LatencyIo(BackingIo real, int micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("latency must be >= 0 µs, not " + micros);
        }
        this.real = real;
        this.nanos = micros * 1_000L;
    }

    @Override
    public long pread(Request req, int fd, long address, int length, long offset) {
        return real.pread(req, fd, address, length, offset);
    }

    @Override
    public long pwrite(Request req, int fd, long address, int length, long offset) {
        waitFor(nanos);
        return real.pwrite(req, fd, address, length, offset);
    }

    @Override
    public int fsync(Request req, int fd, boolean dataOnly) {
        return real.fsync(req, fd, dataOnly);
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
