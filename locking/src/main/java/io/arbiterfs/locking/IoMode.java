package io.arbiterfs.locking;

/**
 * The IO mode of one inode, as the kernel sees it (contract §2.3), seen from the server.
 *
 * <p>The kernel keeps one signed counter per inode; we keep separate counts (see {@link InodeSnapshot}) and derive the
 * mode from them. CACHED and UNCACHED users never coexist; {@link #DRAINING} is the short phase in between.
 */
public enum IoMode {
    /** No page-cache users and no uncached users. Anything may happen next. */
    NEUTRAL,
    /**
     * Page-cache users exist: buffered (cached) opens, or page-cache writeback was seen (a shared mmap of a direct-IO
     * file). Direct writes are exclusive; passthrough opens are refused.
     */
    CACHED,
    /**
     * Uncached users exist: parallel (shared) direct writes in flight and/or passthrough opens (then with exactly one
     * backing id). Cached opens must wait for the writes, or must be answered with the backing id.
     */
    UNCACHED,
    /**
     * Parallel writes are still in flight but the inode is on its way to CACHED: a cached opener is waiting for them,
     * or page-cache writeback was seen. New direct writes go exclusive so the waiter is never starved.
     */
    DRAINING
}
