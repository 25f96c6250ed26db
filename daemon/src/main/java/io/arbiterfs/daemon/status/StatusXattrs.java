package io.arbiterfs.daemon.status;

import io.arbiterfs.daemon.arbitration.IoModeArbiter;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ForwardingFileSystem;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.locking.InodeSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Publishes the arbitration's state as extended attributes of the mount, so any tool can read it:
 * {@value #IOMODE_XATTR} on any file, {@value #STATUS_XATTR} on the root (JSON; with {@value #TEXT} appended, text).
 * Setting {@value #RESET_XATTR} on the root starts a new measurement of write concurrency. Every other xattr passes
 * through.
 *
 * @param <F> the open-file handle type of the decorated file system
 * @param <D> its open-directory handle type
 */
public final class StatusXattrs<F, D> extends ForwardingFileSystem<F, D> {
    public static final String IOMODE_XATTR = "user.arbiterfs.iomode";
    public static final String STATUS_XATTR = "user.arbiterfs.status";
    /** Suffix of the same status as text for people. */
    public static final String TEXT = ".text";
    public static final String RESET_XATTR = "user.arbiterfs.reset_peak";
    private static final String PREFIX = "user.arbiterfs.";
    /** The kernel caps an xattr value at 64 KiB: the mount status lists at most this many files. */
    private static final int MAX_FILES = 40;

    private final IoModeArbiter<?, ?> arbiter;
    private volatile Connection conn;

    /** Status of {@code arbiter}, published on {@code delegate} (the arbiter itself or a decorator of it). */
    public StatusXattrs(FileSystem<F, D> delegate, IoModeArbiter<?, ?> arbiter) {
        super(delegate);
        this.arbiter = arbiter;
    }

    @Override
    public void init(Connection connection) {
        this.conn = connection;
        super.init(connection);
    }

    /** The mount's status now. */
    public StatusModel.Mount mountStatus() {
        List<InodeSnapshot> live = arbiter.snapshots();
        int inFlight = 0;
        int peak = 0;
        for (InodeSnapshot s : live) {
            inFlight += s.parallelWritesInFlight() + (s.exclusiveHeld() ? 1 : 0);
            peak = Math.max(peak, s.peakParallelWrites());
        }
        for (InodeSnapshot s : arbiter.recentlyClosed()) {
            peak = Math.max(peak, s.peakParallelWrites());
        }
        List<StatusModel.File> files = new ArrayList<>();
        live.stream().sorted(Comparator.comparingLong(InodeSnapshot::node)).limit(MAX_FILES)
                .forEach(s -> files.add(StatusModel.file(s.node(), arbiter.path(s.node()).orElse(null), s)));
        Connection c = conn;
        return new StatusModel.Mount(c == null ? null : c.transport(), inFlight, peak,
                arbiter.sourceChangesPushed(), live.size(), files);
    }

    /** One file's status now. */
    public StatusModel.File fileStatus(long node) {
        return StatusModel.file(node, arbiter.path(node).orElse(null), arbiter.snapshot(node).orElse(null));
    }

    @Override
    public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        if (name.length() <= PREFIX.length() || name.byteAt(0) != 'u') {
            return super.getxattr(req, node, name, size, out);
        }
        String n = name.string();
        if (!n.startsWith(PREFIX)) {
            return super.getxattr(req, node, name, size, out);
        }
        String value = switch (n) {
            case IOMODE_XATTR -> StatusJson.render(fileStatus(node));
            case IOMODE_XATTR + TEXT -> StatusText.file(fileStatus(node));
            case STATUS_XATTR -> StatusJson.render(mountStatus());
            case STATUS_XATTR + TEXT -> StatusText.mount(mountStatus());
            default -> null;
        };
        if (value == null) {
            return -Errno.ENODATA;
        }
        return out.xattr(value.getBytes(StandardCharsets.UTF_8), size);
    }

    @Override
    public int setxattr(Request req, long node, Name name, DataView value, int flags) {
        if (name.is(RESET_XATTR)) {
            arbiter.resetPeaks();
            return 0;
        }
        if (name.length() > PREFIX.length() && name.byteAt(0) == 'u' && name.string().startsWith(PREFIX)) {
            return -Errno.EPERM; // our status names are not storable attributes
        }
        return super.setxattr(req, node, name, value, flags);
    }
}
