package io.arbiterfs.daemon.transport;

import io.arbiterfs.daemon.kernel.FuseConst;
import io.arbiterfs.daemon.kernel.NotifyInvalInodeOut;
import io.arbiterfs.daemon.kernel.OutHeader;
import io.arbiterfs.daemon.nativeio.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.daemon.nativeio.Native;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends unsolicited notifications (NOTIFY_INVAL_INODE) from a thread of its own. Never from a
 * worker: invalidating a dirty mapped range makes the kernel write it back first and wait for those
 * WRITEs inside our write(2), which a worker busy sending the notification could not answer
 * (contract §3.10 item 8).
 */
final class Notifier implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final LibC libc = Native.libc();
    private static final int LENGTH = OutHeader.SIZE + NotifyInvalInodeOut.SIZE;

    private record Inval(long node, long offset, long length, CountDownLatch done) {}

    private final int fd;
    private final LinkedBlockingQueue<Inval> queue = new LinkedBlockingQueue<>(65536);
    private final ByteBuffer buf = Native.buffer(LENGTH);
    private final long address = Native.address(buf);
    private final OutHeader header = new OutHeader().wrap(buf, 0);
    private final NotifyInvalInodeOut body = new NotifyInvalInodeOut().wrap(buf, OutHeader.SIZE);
    private volatile boolean stopped;

    Notifier(int fd) {
        this.fd = fd;
    }

    /** Queues an invalidation of [offset, offset+length) of {@code node}; length 0 means to the end. */
    void invalidate(long node, long offset, long length) {
        if (!queue.offer(new Inval(node, offset, length, null))) {
            log.warn("notification queue full: dropping invalidation of node {}", node);
        }
    }

    /**
     * Invalidates and waits until the kernel has dropped the range (pages being read in are waited
     * for, so data read before a write landed cannot survive it), at most {@code timeoutMillis}.
     */
    boolean invalidateAndWait(long node, long offset, long length, long timeoutMillis) {
        CountDownLatch done = new CountDownLatch(1);
        if (!queue.offer(new Inval(node, offset, length, done))) {
            return false;
        }
        try {
            return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A calling worker's own notification buffer and its views (no allocation per call). */
    private static final class CallerSlot {
        final ByteBuffer buf = Native.buffer(LENGTH);
        final long address = Native.address(buf);
        final OutHeader header = new OutHeader().wrap(buf, 0);
        final NotifyInvalInodeOut body = new NotifyInvalInodeOut().wrap(buf, OutHeader.SIZE);
    }

    private final ThreadLocal<CallerSlot> callerSlots = ThreadLocal.withInitial(CallerSlot::new);

    /**
     * Sends the invalidation from the calling thread and returns once the kernel has dropped the
     * range: no hand-off to the notifier thread and back. Only for callers that leave enough other
     * workers free to answer the READs and writeback WRITEs the kernel may wait for meanwhile.
     *
     * @return false if the kernel refused it (other than for an inode it no longer caches)
     */
    boolean invalidateNow(long node, long offset, long length) {
        CallerSlot slot = callerSlots.get();
        slot.header.len(LENGTH).error(FuseConst.NOTIFY_INVAL_INODE).unique(0);
        slot.body.ino(node).off(offset).len(length);
        long w = libc.write(fd, slot.address, LENGTH);
        if (w >= 0) {
            return true;
        }
        int e = Native.errno();
        if (e != Errno.ENOENT && e != Errno.ENODEV) {
            log.warn("NOTIFY_INVAL_INODE for node {} failed: errno {}", node, e);
        }
        return e == Errno.ENOENT;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            Inval i;
            try {
                i = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (i == null) {
                continue;
            }
            header.len(LENGTH).error(FuseConst.NOTIFY_INVAL_INODE).unique(0);
            body.ino(i.node()).off(i.offset()).len(i.length());
            long w = libc.write(fd, address, LENGTH);
            int e = w < 0 ? Native.errno() : 0;
            if (i.done() != null) {
                i.done().countDown();
            }
            if (e == Errno.ENODEV) {
                return;
            }
            if (w < 0 && e != Errno.ENOENT) { // ENOENT: the kernel has no such inode cached, nothing to drop
                log.warn("NOTIFY_INVAL_INODE for node {} failed: errno {}", i.node(), e);
            }
        }
    }
}
