package io.arbiterfs.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.locking.OpenDecision.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 8 threads, more than a million random operations on a few inodes, checked two ways.
 *
 * <ul>
 *   <li><b>Opens, releases and page-cache notes</b> of one inode run under a per-inode test monitor, so a plain
 *       sequential model ({@link Model}) predicts every result exactly, except whether a cached open had to wait
 *       (writes run outside the monitor), so GRANTED and TIMED_OUT are both accepted there.</li>
 *   <li><b>Writes and exclusive operations</b> run freely. Each holder bumps a shadow counter right after it acquired
 *       and drops it right before it releases, so shadow intervals lie inside the real ones. Then: a SHARED writer
 *       never sees a shadow cached open (T1), an exclusive holder never sees another holder.</li>
 * </ul>
 * At the end every thread releases what it holds: the counts must match the model on the way and the table must be
 * empty (T4: nothing leaks).
 */
class RandomizedStressTest {
    private static final int THREADS = 8;
    private static final int OPS_PER_THREAD = 135_000;
    private static final int NODES = 3;
    private static final long SIZE = 1 << 20;

    /** The sequential model of one inode's open side. */
    static final class Model {
        int cached;
        int direct;
        int passthrough;
        int backingId;
        boolean pageCacheSeen;
        final AtomicInteger sharedActive = new AtomicInteger();
        final AtomicInteger cachedActive = new AtomicInteger();
        final AtomicInteger exclusiveActive = new AtomicInteger();

        void afterRelease() {
            if (cached + direct + passthrough == 0) {
                pageCacheSeen = false;
            }
        }
    }

    private final IoModeTable table = new IoModeTable();
    private final Model[] models = new Model[NODES];
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    /** Most shared writers seen holding grants at once, over the whole run (entries come and go, their peaks with them). */
    private final AtomicInteger sharedOverlap = new AtomicInteger();

    private void check(boolean ok, String what) {
        if (!ok && violations.size() < 20) {
            violations.add(what);
        }
    }

    @Test
    void randomOperationsKeepTheInvariants() throws InterruptedException {
        for (int i = 0; i < NODES; i++) {
            models[i] = new Model();
        }
        List<Thread> threads = new ArrayList<>();
        List<int[][]> held = new ArrayList<>(); // per thread: [node][kind] with kind 0 cached, 1 direct, 2 passthrough
        for (int i = 0; i < THREADS; i++) {
            int[][] mine = new int[NODES][3];
            held.add(mine);
            Caller who = new Caller(2000 + i, "stress-" + i);
            threads.add(new Thread(() -> run(mine, who), "stress-" + i));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(violations.isEmpty(), () -> String.join("\n", violations));
        assertTrue(ops.get() >= 1_000_000, "ops " + ops.get());
        for (int n = 0; n < NODES; n++) {
            Model m = models[n];
            InodeSnapshot s = table.snapshot(n).filter(InodeSnapshot::live).orElse(null);
            if (m.cached + m.direct + m.passthrough == 0) {
                assertEquals(null, s, "node " + n + " should have no entry");
                continue;
            }
            assertEquals(m.cached, s.cachedOpens(), "cached " + n);
            assertEquals(m.direct, s.directOpens(), "direct " + n);
            assertEquals(m.passthrough, s.passthroughOpens(), "passthrough " + n);
            assertEquals(m.backingId, s.backingId(), "backing id " + n);
            Fixtures.assertBalancedWriteSide(s);
        }
        for (int i = 0; i < THREADS; i++) {
            releaseAll(held.get(i), new Caller(2000 + i, null));
        }
        assertTrue(violations.isEmpty(), () -> String.join("\n", violations));
        assertEquals(0, table.liveInodes());
        int peak = sharedOverlap.get();
        assertTrue(peak >= 2, "parallel writes never overlapped (peak " + peak + ")");
        System.out.printf("stress: %d ops in %d ms, %d cached-open timeouts, peak parallel writes %d%n",
                ops.get(), millis, timeouts.get(), peak);
    }

    private void run(int[][] mine, Caller who) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            int node = rnd.nextInt(NODES);
            int dice = rnd.nextInt(100);
            if (dice < 45) {
                write(node, WriteIntent.parallel(rnd.nextInt(4096), 512));
            } else if (dice < 49) {
                write(node, WriteIntent.parallel(SIZE - 100, 512)); // extending
            } else if (dice < 51) {
                write(node, new WriteIntent(true, true, 0, 512)); // O_APPEND
            } else if (dice < 53) {
                exclusive(node);
            } else if (dice < 85) {
                openOrRelease(node, mine[node], who, rnd);
            } else {
                synchronized (models[node]) {
                    noteCache(node);
                }
            }
            ops.incrementAndGet();
        }
    }

    private void write(int node, WriteIntent intent) {
        Model m = models[node];
        try (WriteGrant g = table.beginWrite(node, intent, () -> SIZE, IoModeTable.deadlineIn(Duration.ofSeconds(20)))) {
            check(g.acquired(), "write gave up: " + g);
            if (!g.acquired()) {
                return;
            }
            if (g.shared()) {
                sharedOverlap.accumulateAndGet(m.sharedActive.incrementAndGet(), Math::max);
                check(m.cachedActive.get() == 0, "T1: shared write while a cached open is held, node " + node);
                check(m.exclusiveActive.get() == 0, "shared write beside an exclusive one, node " + node);
                if (ThreadLocalRandom.current().nextInt(8) == 0) {
                    Thread.yield(); // let other writers overlap this one
                }
                m.sharedActive.decrementAndGet();
            } else {
                holdExclusive(node, m);
            }
        }
    }

    private void exclusive(int node) {
        try (WriteGrant g = table.beginExclusive(node, ExclusiveReason.FALLOCATE,
                IoModeTable.deadlineIn(Duration.ofSeconds(20)))) {
            check(g.acquired(), "exclusive gave up: " + g);
            if (g.acquired()) {
                holdExclusive(node, models[node]);
            }
        }
    }

    private void holdExclusive(int node, Model m) {
        check(m.exclusiveActive.incrementAndGet() == 1, "two exclusive holders, node " + node);
        check(m.sharedActive.get() == 0, "exclusive beside a shared write, node " + node);
        m.exclusiveActive.decrementAndGet();
    }

    private void openOrRelease(int node, int[] mine, Caller who, ThreadLocalRandom rnd) {
        Model m = models[node];
        int kind = rnd.nextInt(3);
        boolean release = mine[kind] > 0 && rnd.nextBoolean();
        synchronized (m) {
            if (release) {
                release(node, m, mine, kind, who);
            } else if (kind == 0) {
                long deadline = rnd.nextBoolean() ? IoModeTable.NO_WAIT
                        : IoModeTable.deadlineIn(Duration.ofNanos(200_000));
                OpenDecision d = table.cachedOpen(node, who, deadline);
                if (m.passthrough > 0) {
                    expectMustUse(d, m, mine, "cached open");
                } else if (d.outcome() == Outcome.GRANTED) {
                    m.cachedActive.incrementAndGet(); // after the real grant
                    m.cached++;
                    mine[0]++;
                } else {
                    check(d.outcome() == Outcome.TIMED_OUT, "cached open: " + d);
                    timeouts.incrementAndGet();
                }
            } else if (kind == 1) {
                OpenDecision d = table.directOpen(node, who);
                if (m.passthrough > 0) {
                    expectMustUse(d, m, mine, "direct open");
                } else {
                    check(d.outcome() == Outcome.GRANTED, "direct open: " + d);
                    m.direct++;
                    mine[1]++;
                }
            } else {
                int id = 1 + rnd.nextInt(2);
                OpenDecision d = table.passthroughOpen(node, id, who);
                if (m.cached > 0 || m.pageCacheSeen) {
                    check(d.outcome() == Outcome.CONFLICT && d.reason() == ConflictReason.CACHED_USERS,
                            "passthrough open beside cached users: " + d);
                } else if (m.passthrough > 0 && m.backingId != id) {
                    expectMustUse(d, m, mine, "passthrough open with another id");
                } else {
                    check(d.outcome() == Outcome.GRANTED && d.backingId() == id, "passthrough open: " + d);
                    m.backingId = id;
                    m.passthrough++;
                    mine[2]++;
                }
            }
        }
    }

    private void expectMustUse(OpenDecision d, Model m, int[] mine, String what) {
        check(d.outcome() == Outcome.MUST_USE_PASSTHROUGH && d.backingId() == m.backingId, what + ": " + d);
        m.passthrough++;
        mine[2]++;
    }

    private void release(int node, Model m, int[] mine, int kind, Caller who) {
        mine[kind]--;
        if (kind == 0) {
            m.cached--;
            m.cachedActive.decrementAndGet(); // before the real release
            check(table.cachedRelease(node, who), "cached release");
        } else if (kind == 1) {
            m.direct--;
            check(table.directRelease(node, who), "direct release");
        } else {
            m.passthrough--;
            PassthroughRelease r = table.passthroughRelease(node, who);
            check(r.wasOpen() && r.backingId() == m.backingId && r.closeBackingId() == (m.passthrough == 0),
                    "passthrough release: " + r + ", model " + m.passthrough);
            if (m.passthrough == 0) {
                m.backingId = 0;
            }
        }
        m.afterRelease();
    }

    private void noteCache(int node) {
        Model m = models[node];
        boolean noted = table.notePageCacheWrite(node);
        boolean hasOpens = m.cached + m.direct + m.passthrough > 0;
        check(noted == (hasOpens && m.passthrough == 0), "note page cache: " + noted);
        if (noted) {
            m.pageCacheSeen = true;
        }
    }

    private void releaseAll(int[][] mine, Caller who) {
        for (int node = 0; node < NODES; node++) {
            synchronized (models[node]) {
                for (int kind = 0; kind < 3; kind++) {
                    while (mine[node][kind] > 0) {
                        release(node, models[node], mine[node], kind, who);
                    }
                }
            }
        }
    }
}
