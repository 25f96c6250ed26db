package io.arbiterfs.locking.bench;

import io.arbiterfs.locking.Caller;
import io.arbiterfs.locking.IoModeTable;
import io.arbiterfs.locking.WriteGrant;
import io.arbiterfs.locking.WriteIntent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Cost of the shared side: {@link IoModeTable#beginWrite} + {@link WriteGrant#close} of a parallel, non-extending
 * write on an inode that has an open (as in the daemon). Not a test; run with {@link BenchMain} (see README).
 *
 * <ul>
 *   <li>{@code shared_1thread}: uncontended acquire+release (target ≤ 50 ns/op);</li>
 *   <li>{@code shared_4threads_sameInode}: four writers on one inode (throughput should not collapse);</li>
 *   <li>{@code shared_4threads_ownInode}: four writers, one inode each (scaling without shared cache lines);</li>
 *   <li>{@code rwlockRead_*}: a JDK ReentrantReadWriteLock read lock, for comparison.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SharedWriteBench {
    private static final Caller WHO = new Caller(1, "bench");
    private static final WriteIntent INTENT = WriteIntent.parallel(0, 4096);

    @State(Scope.Benchmark)
    public static class Shared {
        final IoModeTable table = new IoModeTable();
        final AtomicLong size = new AtomicLong(1 << 20);
        final LongSupplier serverSize = size::get;
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

        @Setup(Level.Trial)
        public void open() {
            table.directOpen(1, WHO);
        }
    }

    @State(Scope.Thread)
    public static class OwnInode {
        static final AtomicLong NEXT = new AtomicLong(100);
        final long node = NEXT.getAndIncrement();

        @Setup(Level.Trial)
        public void open(Shared s) {
            s.table.directOpen(node, WHO);
        }
    }

    private static boolean write(Shared s, long node) {
        try (WriteGrant g = s.table.beginWrite(node, INTENT, s.serverSize, IoModeTable.NO_WAIT)) {
            return g.shared();
        }
    }

    @Benchmark
    @Threads(1)
    public boolean shared_1thread(Shared s) {
        return write(s, 1);
    }

    @Benchmark
    @Threads(4)
    public boolean shared_4threads_sameInode(Shared s) {
        return write(s, 1);
    }

    @Benchmark
    @Threads(4)
    public boolean shared_4threads_ownInode(Shared s, OwnInode o) {
        return write(s, o.node);
    }

    @Benchmark
    @Threads(1)
    public int rwlockRead_1thread(Shared s) {
        s.rw.readLock().lock();
        try {
            return s.rw.getReadHoldCount();
        } finally {
            s.rw.readLock().unlock();
        }
    }

    @Benchmark
    @Threads(4)
    public int rwlockRead_4threads(Shared s) {
        return rwlockRead_1thread(s);
    }
}
