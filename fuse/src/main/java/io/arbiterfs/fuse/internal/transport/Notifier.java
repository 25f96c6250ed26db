package io.arbiterfs.fuse.internal.transport;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.NotifyInvalInodeOut;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.internal.nativeio.Sys;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends unsolicited notifications (NOTIFY_INVAL_INODE), normally from a thread of its own. Not from
 * any worker: invalidating a dirty mapped range makes the kernel write it back first and wait for
 * those WRITEs inside our write(2), which a worker busy sending the notification could not answer
 * (contract §3.10 item 8). {@link #invalidateNow} is for the few workers a caller lets wait.
 */
final class Notifier implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final Sys libc = Sys.get();
    private static final int LENGTH = OutHeader.SIZE + NotifyInvalInodeOut.SIZE;

    private record Inval(long node, long offset, long length) {}

    /** One sending thread's message buffer and its views (no allocation per notification). */
    private static final class Slot {
        final ByteBuffer buf = Native.buffer(LENGTH);
        final long address = Native.address(buf);
        final OutHeader header = new OutHeader().wrap(buf, 0);
        final NotifyInvalInodeOut body = new NotifyInvalInodeOut().wrap(buf, OutHeader.SIZE);
    }

    private final int fd;
    private final LinkedBlockingQueue<Inval> queue = new LinkedBlockingQueue<>(65536);
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    private volatile boolean stopped;

    Notifier(int fd) {
        this.fd = fd;
    }

    /** Queues an invalidation of [offset, offset+length) of {@code node}; length 0 means to the end. */
    void invalidate(long node, long offset, long length) {
        if (!queue.offer(new Inval(node, offset, length))) {
            log.warn("notification queue full: dropping invalidation of node {}", node);
        }
    }

    /**
     * Sends the invalidation from the calling thread and returns once the kernel has dropped the
     * range: no hand-off to the notifier thread and back. Only for callers that leave enough other
     * workers free to answer the READs and writeback WRITEs the kernel may wait for meanwhile.
     *
     * @return false if the kernel refused it (other than for an inode it no longer caches)
     */
    boolean invalidateNow(long node, long offset, long length) {
        int e = send(node, offset, length);
        return e == 0 || e == Errno.ENOENT;
    }

    /** Writes one NOTIFY_INVAL_INODE; 0 or the errno, logged unless expected. */
    private int send(long node, long offset, long length) {
        Slot slot = slots.get();
        slot.header.len(LENGTH).error(FuseConst.NOTIFY_INVAL_INODE).unique(0);
        slot.body.ino(node).off(offset).len(length);
        if (libc.write(fd, slot.address, LENGTH) >= 0) {
            return 0;
        }
        int e = Native.errno();
        // ENOENT: the kernel has no such inode cached, nothing to drop; ENODEV: the connection is gone
        if (e != Errno.ENOENT && e != Errno.ENODEV) {
            log.warn("NOTIFY_INVAL_INODE for node {} failed: errno {}", node, e);
        }
        return e;
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
            if (i != null && send(i.node(), i.offset(), i.length()) == Errno.ENODEV) {
                return;
            }
        }
    }
}
