package io.arbiterfs.daemon.passthrough;

import static io.arbiterfs.daemon.passthrough.FsDriver.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.dispatch.WireDriver;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlockTest extends PassthroughTestBase {
    private static final int FLOCK = FuseConst.LK_FLOCK;
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

    @Test
    void exclusiveConflictsBetweenTwoOpensAndSharedDoesNot() {
        assertEquals(0, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false));
        assertEquals(-Errno.EAGAIN, d.setlk(node, fh2, Linux.F_WRLCK, FLOCK, false));
        assertEquals(-Errno.EAGAIN, d.setlk(node, fh2, Linux.F_RDLCK, FLOCK, false));
        assertEquals(0, d.setlk(node, fh1, Linux.F_UNLCK, FLOCK, false));
        assertEquals(0, d.setlk(node, fh1, Linux.F_RDLCK, FLOCK, false));
        assertEquals(0, d.setlk(node, fh2, Linux.F_RDLCK, FLOCK, false));
        assertEquals(-Errno.EAGAIN, d.setlk(node, fh2, Linux.F_WRLCK, FLOCK, false));
    }

    @Test
    void releaseDropsTheLock() {
        assertEquals(0, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false));
        assertEquals(0, d.flush(node, fh1), "flush closes a dup only: the lock stays");
        assertEquals(-Errno.EAGAIN, d.setlk(node, fh2, Linux.F_WRLCK, FLOCK, false));
        assertEquals(0, d.release(node, fh1));
        assertEquals(0, d.setlk(node, fh2, Linux.F_WRLCK, FLOCK, false));
    }

    @Test
    void setlkwWaitsUntilTheHolderUnlocks() throws Exception {
        assertEquals(0, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false));
        WireDriver other = d.another();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> other.setlk(node, fh2, Linux.F_WRLCK, FLOCK, true));
        await().atMost(Duration.ofSeconds(5)).until(other::busy);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiter.isDone());
        assertEquals(0, d.setlk(node, fh1, Linux.F_UNLCK, FLOCK, false));
        assertEquals(0, waiter.get(5, TimeUnit.SECONDS));
        assertEquals(-Errno.EAGAIN, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false));
    }

    @Test
    void setlkwGivesUpWithEintrWhenInterrupted() throws Exception {
        assertEquals(0, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false));
        WireDriver other = d.another();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> other.setlk(node, fh2, Linux.F_WRLCK, FLOCK, true));
        await().atMost(Duration.ofSeconds(5)).until(other::busy);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !waiter.isDone());
        other.interruptInFlight(); // as a FUSE_INTERRUPT for the waiting request would
        assertEquals(-Errno.EINTR, waiter.get(5, TimeUnit.SECONDS));
        assertEquals(-Errno.EAGAIN, d.setlk(node, fh2, Linux.F_WRLCK, FLOCK, false), "the lock was not taken");
    }

    @Test
    void setlkwGivesUpWhenTheRequestThreadIsInterrupted() throws Exception {
        assertEquals(0, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false));
        WireDriver other = d.another();
        AtomicInteger result = new AtomicInteger(1);
        Thread t = new Thread(() -> result.set(other.setlk(node, fh2, Linux.F_WRLCK, FLOCK, true)), "flock-waiter");
        t.start();
        await().atMost(Duration.ofSeconds(5)).until(other::busy);
        t.interrupt();
        t.join(5000);
        assertEquals(Thread.State.TERMINATED, t.getState());
        assertEquals(-Errno.EINTR, result.get());
        assertEquals(0, d.setlk(node, fh1, Linux.F_UNLCK, FLOCK, false));
        assertEquals(0, d.setlk(node, fh1, Linux.F_WRLCK, FLOCK, false),
                "the interrupted waiter did not grab the lock after the unlock");
    }

    @Test
    void posixLocksAreLeftToTheKernel() {
        assertEquals(-Errno.ENOSYS, d.setlk(node, fh1, Linux.F_WRLCK, 0, false));
        assertEquals(-Errno.ENOSYS, d.getlk(node, fh1, Linux.F_WRLCK));
        assertEquals(-Errno.EBADF, d.setlk(node, 12345, Linux.F_WRLCK, FLOCK, false));
        assertEquals(-Errno.EINVAL, d.setlk(node, fh1, 7, FLOCK, false));
    }
}
