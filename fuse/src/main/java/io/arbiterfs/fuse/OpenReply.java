package io.arbiterfs.fuse;

/**
 * How an OPEN, CREATE, TMPFILE or OPENDIR is answered: the handle the engine passes back in later requests, and
 * how the kernel should treat the open. Nothing set means: no handle, the kernel's page cache, cache kept only
 * if the file did not change. Getters read back what was set.
 *
 * @param <H> the handle type
 */
public interface OpenReply<H> {
    /** The object the engine hands back to every later request on this open; null for none. */
    OpenReply<H> handle(H handle);

    H handle();

    /**
     * FOPEN_DIRECT_IO: reads and writes bypass the kernel's page cache and come to the file system as they are
     * made (the size and offset the caller used). Needed for {@link #parallelDirectWrites()}.
     */
    OpenReply<H> directIo(boolean on);

    boolean directIo();

    /**
     * FOPEN_PARALLEL_DIRECT_WRITES (with {@link #directIo}): the kernel lets non-extending writes to this file run
     * at the same time instead of one after another; the file system must cope.
     */
    OpenReply<H> parallelDirectWrites(boolean on);

    boolean parallelDirectWrites();

    /** FOPEN_KEEP_CACHE: keep the file's cached pages from earlier opens. */
    OpenReply<H> keepCache(boolean on);

    boolean keepCache();

    /** FOPEN_NONSEEKABLE: the file has no positions (a stream). */
    OpenReply<H> nonSeekable(boolean on);

    boolean nonSeekable();

    /** FOPEN_CACHE_DIR (directories): the kernel may cache the listing. */
    OpenReply<H> cacheDir(boolean on);

    boolean cacheDir();

    /**
     * FOPEN_PASSTHROUGH with a backing id from {@link Connection#openBacking}: the kernel reads and writes the
     * backing file itself; READ and WRITE never reach the file system. 0 turns it off. Needs
     * {@link Feature#PASSTHROUGH}.
     */
    OpenReply<H> passthrough(int backingId);

    /** The backing id set, 0 if none. */
    int backingId();
}
