package io.arbiterfs.fuse;

import java.util.List;

/**
 * How a connection's requests arrive, for status displays.
 *
 * @param kind             {@code "io_uring"} or {@code "/dev/fuse"}
 * @param queues           io_uring queues (one per possible CPU), 0 on /dev/fuse
 * @param threadsPerQueue  ring threads per queue, 0 on /dev/fuse
 * @param entriesPerThread ring entries each ring thread owns, 0 on /dev/fuse
 * @param servedPerQueue   requests served by each queue so far (empty on /dev/fuse)
 * @param devFuseThreads   threads reading /dev/fuse (on io_uring they serve INTERRUPT, FORGET and what arrives before
 *                         the rings are ready)
 * @param note             why the ring is not used although it was wanted, or null
 */
public record TransportStatus(String kind, int queues, int threadsPerQueue, int entriesPerThread,
                              List<Long> servedPerQueue, int devFuseThreads, String note) {
    public TransportStatus {
        servedPerQueue = List.copyOf(servedPerQueue);
    }

    @Override
    public String toString() {
        String s = kind.equals("io_uring")
                ? "io_uring: " + queues + " queues x " + threadsPerQueue + " threads x " + entriesPerThread
                        + " entries, served per queue " + servedPerQueue + "; " + devFuseThreads + " /dev/fuse threads"
                : "/dev/fuse: " + devFuseThreads + " threads";
        return note == null ? s : s + " (" + note + ")";
    }
}
