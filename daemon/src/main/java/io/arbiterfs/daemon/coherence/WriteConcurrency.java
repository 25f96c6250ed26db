package io.arbiterfs.daemon.coherence;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * WRITEs in the daemon's handlers right now, and the most ever at once (resettable): what the
 * kernel actually let run in parallel, as seen from the server.
 */
final class WriteConcurrency {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void enter() {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    int peak() {
        return peak.get();
    }

    /** Starts a new measurement: the peak becomes what is in flight now. */
    void resetPeak() {
        peak.set(inFlight.get());
    }
}
