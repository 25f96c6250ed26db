package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.TestFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Threads of one racing test. The first failure stops all of them (each body polls {@link #running})
 * and is rethrown by {@link #join}, naming the thread that saw it.
 */
final class Workers {
    interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    void start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                if (failure.compareAndSet(null, new TestFailure(name + ": " + e.getMessage(), e))) {
                    stop.set(true);
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** False once any worker failed or {@link #stop()} was called. */
    boolean running() {
        return !stop.get();
    }

    void stop() {
        stop.set(true);
    }

    /** Waits for every worker; rethrows the first failure. */
    void join() throws TestFailure, InterruptedException {
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            stop.set(true);
            throw e;
        }
        Throwable f = failure.get();
        if (f instanceof TestFailure tf) {
            throw tf;
        }
    }
}
