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

    /** Request threads serving the connection. */
    int requestThreads();

    /** How requests arrive: {@code "/dev/fuse"} or {@code "io_uring"}, with details, for status displays. */
    String transport();

    /**
     * Asks the kernel to drop cached pages of {@code node} in [offset, offset+length) (length 0: to the end),
     * and its cached attributes (FUSE_NOTIFY_INVAL_INODE). Asynchronous: sent from the engine's notifier thread,
     * never from the calling request thread, so it cannot deadlock a request.
     */
    void invalidateData(long node, long offset, long length);

    /**
     * As {@link #invalidateData}, but sent from the calling thread, returning once the kernel dropped the range.
     * The kernel may wait inside this call for READs of pages being filled and for writeback WRITEs of dirty
     * pages in the range, which other request threads must answer: leave enough threads free (a request thread
     * that waits here cannot answer them).
     *
     * @return false if the kernel refused the notification
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
