package io.arbiterfs.daemon.watch;

import io.arbiterfs.daemon.arbitration.PageCacheWatch;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the kernel when a program other than this daemon changes a SOURCE file that page-cache
 * users on the mount hold open, so they stop reading the old pages at once rather than at the next
 * attribute refresh. fanotify names the process behind each change: changes made by this daemon
 * (every WRITE, truncate and fallocate through the mount) need no notice, because the kernel asked
 * for them and keeps its cache right itself; all others become a NOTIFY_INVAL_INODE of the whole
 * file, sent through the connection's notifier thread (never from a worker).
 *
 * <p>Files are marked while they have cached opens. Events carry file handles (FAN_REPORT_FID), which
 * needs no open fd per event and also works for unprivileged daemons: the kernel then hides other
 * processes' pids (0) but still shows our own, which is all the filter needs. Not seen: stores
 * through another program's shared mapping of the SOURCE file (no event exists for them); those
 * still reach readers at attribute expiry through FUSE_AUTO_INVAL_DATA.
 */
public final class SourceWatcher implements Runnable, PageCacheWatch {
    private static final Logger log = LoggerFactory.getLogger(SourceWatcher.class);
    private static final LibC libc = LibC.get();

    private static final int FAN_CLOEXEC = 0x1;
    private static final int FAN_NONBLOCK = 0x2;
    private static final int FAN_CLASS_NOTIF = 0x0;
    private static final int FAN_REPORT_FID = 0x200;
    private static final int FAN_MARK_ADD = 0x1;
    private static final int FAN_MARK_REMOVE = 0x2;
    private static final long FAN_MODIFY = 0x2;
    private static final long FAN_Q_OVERFLOW = 0x4000;
    private static final int FAN_EVENT_INFO_TYPE_FID = 1;
    private static final int EVENT_METADATA_SIZE = 24;
    private static final int MAX_HANDLE_SZ = 128;
    private static final int STATFS_FSID_OFFSET = 56; // struct statfs on 64-bit Linux: seven longs, then f_fsid
    private static final short POLLIN = 1;
    private static final NativeString EMPTY_PATH = NativeString.of(""); // static: its buffer must stay reachable
    /**
     * Pause after each batch of events. Our own writes to a watched file raise events too (fanotify
     * cannot leave a process out); while unread, the kernel merges them into one per file, so a short
     * pause turns thousands of wake-ups a second into a hundred, at ≤ 10 ms more delay for a change.
     */
    private static final long BATCH_PAUSE_MILLIS = 10;

    private final Connection conn;
    private final int fd;
    private final int self = (int) ProcessHandle.current().pid();
    private final ByteBuffer events = Native.buffer(64 * 1024);
    private final ByteBuffer pollFd = Native.buffer(8);
    private final ConcurrentHashMap<Long, Watch> watches = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ByteBuffer, Long> nodesByHandle = new ConcurrentHashMap<>();
    private final AtomicLong pushed = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /** One marked file: its handle key and how many cached opens want it watched. */
    private static final class Watch {
        final ByteBuffer key;
        int opens = 1;

        Watch(ByteBuffer key) {
            this.key = key;
        }
    }

    private SourceWatcher(Connection conn, int fd, String name) {
        this.conn = conn;
        this.fd = fd;
        pollFd.putInt(0, fd).putShort(4, POLLIN);
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    /** A started watcher, or empty (with the reason logged) where fanotify is unavailable. */
    public static Optional<PageCacheWatch> start(Connection conn, String name) {
        int fd = libc.fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_FID, Linux.O_RDONLY);
        if (fd < 0) {
            log.warn("fanotify unavailable (errno {}): changes made in SOURCE by other programs reach page-cache "
                    + "readers only when their attributes expire", Native.errno());
            return Optional.empty();
        }
        SourceWatcher w = new SourceWatcher(conn, fd, name);
        w.thread.start();
        return Optional.<PageCacheWatch>of(w);
    }

    /** A cached open of {@code node} (whose O_PATH fd is {@code pathFd}) began. */
    @Override
    public void watch(long node, int pathFd) {
        watches.compute(node, (n, w) -> {
            if (w != null) {
                w.opens++;
                return w;
            }
            ByteBuffer key = handleKey(pathFd);
            if (key == null || mark(FAN_MARK_ADD, pathFd) < 0) {
                return null;
            }
            nodesByHandle.put(key, n);
            return new Watch(key);
        });
    }

    /** A cached open of {@code node} ended; the mark goes with the last one. */
    @Override
    public void unwatch(long node, int pathFd) {
        watches.computeIfPresent(node, (n, w) -> {
            if (--w.opens > 0) {
                return w;
            }
            nodesByHandle.remove(w.key, n);
            if (mark(FAN_MARK_REMOVE, pathFd) < 0) {
                log.debug("node {}: removing the fanotify mark failed: errno {}", n, Native.errno());
            }
            return null;
        });
    }

    /** Invalidations sent for changes made by other programs since the mount began. */
    @Override
    public long pushed() {
        return pushed.get();
    }

    private int mark(int how, int pathFd) {
        NativeString path = NativeString.procSelfFd(pathFd);
        try {
            int rc = libc.fanotify_mark(fd, how, FAN_MODIFY, Linux.AT_FDCWD, path.address());
            if (rc < 0 && how == FAN_MARK_ADD) {
                log.debug("fanotify mark on fd {} failed: errno {}", pathFd, Native.errno());
            }
            return rc;
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    /** fsid, handle type and handle bytes: the same bytes, in the same order, as an event names the file. */
    private static ByteBuffer handleKey(int pathFd) {
        ByteBuffer statfs = Native.buffer(256);
        ByteBuffer handle = Native.buffer(8 + MAX_HANDLE_SZ + 8);
        handle.putInt(0, MAX_HANDLE_SZ);
        long mountId = Native.address(handle) + 8 + MAX_HANDLE_SZ;
        if (libc.fstatfs(pathFd, Native.address(statfs)) < 0
                || libc.name_to_handle_at(pathFd, EMPTY_PATH.address(), Native.address(handle), mountId, Linux.AT_EMPTY_PATH) < 0) {
            log.debug("no file handle for fd {}: errno {}", pathFd, Native.errno());
            return null;
        }
        int bytes = handle.getInt(0);
        ByteBuffer key = ByteBuffer.allocate(12 + bytes);
        key.putLong(0, statfs.getLong(STATFS_FSID_OFFSET)).putInt(8, handle.getInt(4));
        key.put(12, handle, 8, bytes);
        return key;
    }

    @Override
    public void run() {
        long pollAddress = Native.address(pollFd);
        long eventsAddress = Native.address(events);
        while (!closed) {
            if (libc.poll(pollAddress, 1, 200) <= 0) {
                continue; // timeout (check closed) or EINTR
            }
            long n = libc.read(fd, eventsAddress, events.capacity());
            if (n < 0) {
                int e = Native.errno();
                if (e != Errno.EAGAIN && e != Errno.EINTR) {
                    log.warn("reading fanotify events failed: errno {}; no longer watching SOURCE", e);
                    return;
                }
                continue;
            }
            dispatch((int) n);
            try {
                Thread.sleep(BATCH_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void dispatch(int length) {
        for (int pos = 0; pos + EVENT_METADATA_SIZE <= length; ) {
            int eventLength = events.getInt(pos);
            if (eventLength < EVENT_METADATA_SIZE || pos + eventLength > length) {
                log.warn("malformed fanotify event at {} (length {})", pos, eventLength);
                return;
            }
            long mask = events.getLong(pos + 8);
            int eventFd = events.getInt(pos + 16);
            int pid = events.getInt(pos + 20);
            if (eventFd >= 0) {
                libc.close(eventFd); // not asked for in FID mode, but never leak one
            }
            if ((mask & FAN_Q_OVERFLOW) != 0) {
                log.warn("fanotify queue overflowed: invalidating every watched file");
                watches.keySet().forEach(this::invalidate);
            } else if (pid != self) {
                Long node = nodeOf(pos + (events.getShort(pos + 6) & 0xffff), pos + eventLength);
                if (node != null) {
                    log.debug("node {} changed in SOURCE by pid {}: invalidating its cached pages", node, pid);
                    invalidate(node);
                }
            }
            pos += eventLength;
        }
    }

    /** The node named by the event's FID record between {@code from} and {@code end}. */
    private Long nodeOf(int from, int end) {
        for (int info = from; info + 4 <= end; ) {
            int type = events.get(info) & 0xff;
            int infoLength = events.getShort(info + 2) & 0xffff;
            if (infoLength < 4 || info + infoLength > end) {
                return null;
            }
            if (type == FAN_EVENT_INFO_TYPE_FID && infoLength >= 20) {
                int bytes = events.getInt(info + 12);
                if (20 + bytes > infoLength) {
                    return null;
                }
                ByteBuffer key = ByteBuffer.allocate(12 + bytes);
                key.putLong(0, events.getLong(info + 4)).putInt(8, events.getInt(info + 16));
                key.put(12, events, info + 20, bytes);
                return nodesByHandle.get(key);
            }
            info += infoLength;
        }
        return null;
    }

    private void invalidate(long node) {
        pushed.incrementAndGet();
        conn.invalidateData(node, 0, 0);
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        libc.close(fd); // drops every mark with it
    }
}
