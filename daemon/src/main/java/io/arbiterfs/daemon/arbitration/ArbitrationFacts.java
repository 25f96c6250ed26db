package io.arbiterfs.daemon.arbitration;

import java.util.Optional;

/**
 * The few facts the IO-mode arbitration needs from the file system it wraps. All calls may come from any request
 * thread at any time; they must be cheap and must not call back into the arbitration.
 *
 * @param <F> the wrapped file system's open-file handle type
 */
public interface ArbitrationFacts<F> {
    /** Whether {@code node} (opened as {@code file}, or null) is a regular file: IO modes concern regular files only. */
    boolean isRegularFile(long node, F file);

    /**
     * The file's current size as the file system sees it, to judge whether a direct write extends the file (the
     * kernel judges by its cached size, which may be stale). Asked with the write's shared lock held, at most once per
     * direct write, and not at all while writes end within the size last reported (until an open, truncate, fallocate
     * or copy into the file; see {@code ArbitratedInode#knownSize}). If unknown, {@link Long#MAX_VALUE} makes no write extending; 0 makes every write exclusive.
     */
    long size(long node, F file);

    /**
     * An open file descriptor of the node's backing file for passthrough ({@code FUSE_DEV_IOC_BACKING_OPEN}) and for
     * watching changes made behind the mount, or -1 if the file system has none.
     */
    int backingFd(long node, F file);

    /** Whether the kernel still knows {@code node} (it has lookups outstanding); asked after each forget. */
    boolean known(long node);

    /** The node's path below the mount root, for the policy file and status; empty if unknown or removed. */
    Optional<String> path(long node);
}
