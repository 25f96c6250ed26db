package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.internal.abi.FuseConst;

/**
 * What the session asks of the kernel.
 *
 * @param workers request threads, each on its own cloned /dev/fuse descriptor
 * @param maxWrite largest WRITE payload (and READ size) the kernel may send
 * @param wantedFlags INIT flags (flags | flags2 << 32) to grant when the kernel offers them
 * @param maxStackDepth passthrough stacking depth to announce (0 unless passthrough is wanted)
 * @param ring whether and how to serve over io_uring
 */
public record SessionOptions(int workers, int maxWrite, long wantedFlags, int maxStackDepth, Ring ring) {
    /**
     * io_uring settings.
     *
     * @param wanted          use the rings when the kernel offers them
     * @param threadsPerQueue ring threads per queue (one queue per possible CPU)
     * @param depth           entries each ring thread owns
     * @param pin             pin each ring thread to its queue's CPU
     */
    public record Ring(boolean wanted, int threadsPerQueue, int depth, boolean pin) {
        public Ring {
            if (threadsPerQueue < 1 || depth < 1) {
                throw new IllegalArgumentException("io_uring threads per queue and depth must be at least 1");
            }
        }

        public static final Ring OFF = new Ring(false, 1, 1, false);
    }

    public static final int DEFAULT_MAX_WRITE = 1 << 20;

    public SessionOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        if (maxWrite < 4096) {
            throw new IllegalArgumentException("maxWrite must be at least 4096");
        }
    }

    public static SessionOptions defaults(int workers) {
        return new SessionOptions(workers, DEFAULT_MAX_WRITE, io.arbiterfs.fuse.Feature.bits(io.arbiterfs.fuse.Feature.DEFAULTS), 0,
                Ring.OFF);
    }

    public SessionOptions withFlags(long extra) {
        return new SessionOptions(workers, maxWrite, wantedFlags | extra, maxStackDepth, ring);
    }

    public SessionOptions withMaxStackDepth(int depth) {
        return new SessionOptions(workers, maxWrite, wantedFlags, depth, ring);
    }
}
