package io.arbiterfs.daemon.arbitration;

/**
 * Told when a file gains and loses page-cache opens, so changes made to its backing file behind the mount can be
 * pushed to those readers (see the daemon's SOURCE watcher). Calls come from request threads and must not block.
 */
public interface PageCacheWatch extends AutoCloseable {
    /** A cached open of {@code node}, whose backing file is open as {@code backingFd}, began. */
    void watch(long node, int backingFd);

    /** A cached open of {@code node} ended. */
    void unwatch(long node, int backingFd);

    /** Invalidations pushed for changes made behind the mount so far. */
    long pushed();

    @Override
    void close();
}
