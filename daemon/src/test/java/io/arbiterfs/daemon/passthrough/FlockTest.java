package io.arbiterfs.daemon.passthrough;

import static io.arbiterfs.daemon.passthrough.FsDriver.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlockTest extends PassthroughTestBase {
    private static final int FLOCK = FuseConst.LK_FLOCK;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private long node;
    private long fh1;
    private long fh2;

    @BeforeEach
    void openTwice() throws Exception {
        Files.writeString(src.resolve("locked"), "x");
        node = d.lookup(ROOT, "locked");
        fh1 = d.open(node, Linux.O_RDWR);
        fh2 = d.open(node, Linux.O_RDONLY);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void exclusiveConflictsBetweenTwoOpensAndSharedDoesNot() {
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false));
        assertEquals(-Errno.EAGAIN, d.setlk(d.req, node, fh2, Linux.F_WRLCK, FLOCK, false));
        assertEquals(-Errno.EAGAIN, d.setlk(d.req, node, fh2, Linux.F_RDLCK, FLOCK, false));
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_UNLCK, FLOCK, false));
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_RDLCK, FLOCK, false));
        assertEquals(0, d.setlk(d.req, node, fh2, Linux.F_RDLCK, FLOCK, false));
        assertEquals(-Errno.EAGAIN, d.setlk(d.req, node, fh2, Linux.F_WRLCK, FLOCK, false));
    }

    @Test
    void releaseDropsTheLock() {
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false));
        assertEquals(0, d.flush(node, fh1), "flush closes a dup only: the lock stays");
        assertEquals(-Errno.EAGAIN, d.setlk(d.req, node, fh2, Linux.F_WRLCK, FLOCK, false));
        assertEquals(0, d.release(node, fh1));
        assertEquals(0, d.setlk(d.req, node, fh2, Linux.F_WRLCK, FLOCK, false));
    }

    @Test
    void setlkwWaitsUntilTheHolderUnlocks() throws Exception {
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false));
        Future<Integer> waiter = pool.submit(() -> {
            FsDriver other = new FsDriver(fs);
            return other.setlk(other.req, node, fh2, Linux.F_WRLCK, FLOCK, true);
        });
        Thread.sleep(100);
        assertFalse(waiter.isDone(), "SETLKW blocks while the lock is held");
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_UNLCK, FLOCK, false));
        assertEquals(0, waiter.get(5, TimeUnit.SECONDS));
        assertEquals(-Errno.EAGAIN, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false));
    }

    @Test
    void setlkwGivesUpWithEintrWhenInterrupted() throws Exception {
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false));
        Request waiting = new Request();
        CompletableFuture<Long> unique = new CompletableFuture<>();
        Future<Integer> waiter = pool.submit(() -> {
            FsDriver other = new FsDriver(fs);
            // setlk fills the request; publish its unique id once set
            pool.submit(() -> {
                while (waiting.unique() == 0) {
                    Thread.onSpinWait();
                }
                unique.complete(waiting.unique());
            });
            return other.setlk(waiting, node, fh2, Linux.F_WRLCK, FLOCK, true);
        });
        long id = unique.get(5, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertFalse(waiter.isDone());
        waiting.interrupt(id);
        assertEquals(-Errno.EINTR, waiter.get(5, TimeUnit.SECONDS));
        assertEquals(-Errno.EAGAIN, d.setlk(d.req, node, fh2, Linux.F_WRLCK, FLOCK, false), "the lock was not taken");
    }

    @Test
    void setlkwGivesUpWhenTheWorkerThreadIsInterrupted() throws Exception {
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false));
        Future<Integer> waiter = pool.submit(() -> {
            FsDriver other = new FsDriver(fs);
            return other.setlk(other.req, node, fh2, Linux.F_WRLCK, FLOCK, true);
        });
        Thread.sleep(50);
        waiter.cancel(true); // interrupts the worker
        Thread.sleep(100);
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_UNLCK, FLOCK, false));
        Thread.sleep(50);
        assertEquals(0, d.setlk(d.req, node, fh1, Linux.F_WRLCK, FLOCK, false),
                "the interrupted waiter did not grab the lock after the unlock");
    }

    @Test
    void posixLocksAreLeftToTheKernel() {
        assertEquals(-Errno.ENOSYS, d.setlk(d.req, node, fh1, Linux.F_WRLCK, 0, false));
        assertEquals(-Errno.ENOSYS, fs.getlk(d.req(node), node, null, null));
        assertEquals(-Errno.EBADF, d.setlk(d.req, node, 12345, Linux.F_WRLCK, FLOCK, false));
        assertEquals(-Errno.EINVAL, d.setlk(d.req, node, fh1, 7, FLOCK, false));
    }
}
