package io.arbiterfs.fuse;

/** What INIT settled, and the calls a file system may make towards the kernel. */
public interface FuseConnection {
    /** The protocol minor version both sides speak (≤ 45). */
    int minor();

    /** The INIT flags granted to the kernel, as one 64-bit word (flags | flags2 << 32). */
    long flags();

    /** Largest WRITE payload the kernel will send. */
    int maxWrite();

    /** Request threads serving the connection. */
    default int workers() {
        return 1;
    }

    /** Whether a flag (a {@code FuseConst} 64-bit value) was granted. */
    default boolean has(long flag) {
        return (flags() & flag) != 0;
    }

    /**
     * Asks the kernel to drop cached data of {@code node} in [offset, offset+length) (length 0: to the
     * end). Asynchronous: sent from a dedicated thread, never from the calling worker.
     */
    default void invalidateData(long node, long offset, long length) {}

    /**
     * As {@link #invalidateData}, but sent from the calling thread, returning once the kernel has
     * dropped the range. The kernel may wait inside the call for READs of pages being filled and for
     * writeback WRITEs of dirty pages in the range, which other workers must answer: a caller must
     * leave enough workers free (contract §3.10 item 8).
     *
     * @return false if the kernel refused the notification
     */
    default boolean invalidateDataNow(long node, long offset, long length) {
        return true;
    }

    /** Registers {@code fd} as a passthrough backing file: the id (&gt; 0) or -errno. */
    default int openBacking(int fd) {
        return -38;
    }

    /** Drops the registry's reference to a backing id: 0 or -errno. */
    default int closeBacking(int backingId) {
        return -38;
    }
}
