package io.arbiterfs.fuse;

import java.util.Set;

/**
 * What FUSE_INIT settled, and the calls a file system may make towards the kernel. Given to
 * {@link FileSystem#init}; thread-safe.
 */
public interface Connection {
    /** The protocol minor version both sides speak (7.x, at most 45). */
    int minor();

    /** The features the kernel granted. */
    Set<Feature> granted();

    /** Whether {@code feature} was granted. */
    boolean has(Feature feature);

    /** Largest WRITE payload (and READ size) the kernel will send. */
    int maxWrite();

    /** Threads serving the connection's ordinary requests: the ring threads on io_uring, else the /dev/fuse threads. */
    int requestThreads();

    /** How requests arrive now (the io_uring rings or /dev/fuse), with counts, for status displays. */
    TransportStatus transport();

    /**
     * Asks the kernel to drop cached pages of {@code node} in [offset, offset+length) (length 0: to the end),
     * and its cached attributes (FUSE_NOTIFY_INVAL_INODE). Asynchronous: sent from the engine's notifier thread,
     * never from the calling request thread, so it cannot deadlock a request.
     */
    void invalidateData(long node, long offset, long length);

    /**
     * As {@link #invalidateData}, but sent from the calling thread, returning once the kernel dropped the range. The
     * kernel may wait inside this call for READs of pages being filled and for writeback WRITEs of dirty pages in the
     * range, which other request threads must answer; so the engine lets only so many request threads wait here at
     * once (on io_uring: per queue, since a request can only be served by its CPU's queue). Beyond that the
     * invalidation is queued as by {@link #invalidateData}.
     *
     * @return true if the range was dropped before this returned; false if it was queued instead, or refused
     */
    boolean invalidateDataNow(long node, long offset, long length);

    /**
     * Asks the kernel to drop only its cached attributes of {@code node}, so the next stat asks again: for changes
     * the file system makes behind the kernel's back, such as clearing set-user-id bits. Asynchronous, as
     * {@link #invalidateData}.
     */
    void invalidateAttributes(long node);

    /**
     * Registers open file descriptor {@code fd} as a passthrough backing file (FUSE_DEV_IOC_BACKING_OPEN).
     *
     * @return the backing id (&gt; 0) for {@link OpenReply#passthrough}, or -errno (EPERM without CAP_SYS_ADMIN)
     */
    int openBacking(int fd);

    /** Drops the registration of a backing id (FUSE_DEV_IOC_BACKING_CLOSE): 0 or -errno. */
    int closeBacking(int backingId);
}
