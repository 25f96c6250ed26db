package io.arbiterfs.fuse;

/**
 * Who made a request and whether they still want the answer: the caller's credentials from the request
 * header. The same object serves one request thread's requests one after another, so read it only during
 * the call it was given to.
 */
public interface Request {
    /** The kernel's id of this request (unique among the requests in flight). */
    long unique();

    /** The node the request is about, as in the request header (the parent directory for name operations). */
    long nodeId();

    /** The caller's effective user id (fsuid). */
    int uid();

    /** The caller's effective group id (fsgid). */
    int gid();

    /** The calling thread's process id; 0 for requests the kernel makes on its own (writeback, readahead, release). */
    int pid();

    /**
     * True once the kernel sent FUSE_INTERRUPT for this request, because the caller got a signal. A method that
     * blocks should then give up and return {@code -EINTR}; one that is about to finish may just finish.
     */
    boolean interrupted();
}
