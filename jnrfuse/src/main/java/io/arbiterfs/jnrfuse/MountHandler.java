package io.arbiterfs.jnrfuse;

/**
 * Serves what an unmodified jnr-fuse program asked libfuse to mount. {@link JavaLibFuse#fuse_main_real} hands
 * each mount to the handler named by the system property {@value #HANDLER_PROPERTY} (a class with a public
 * no-argument constructor) or, without it, to the first one {@link java.util.ServiceLoader} finds.
 */
public interface MountHandler {
    String HANDLER_PROPERTY = "arbiterfs.jnrfuse.handler";

    /**
     * Mounts and serves until the mount ends; what {@code fuse_main_real} returns: 0 after a clean unmount,
     * non-zero (libfuse uses 1) when mounting failed. jnr-fuse's non-blocking {@code mount()} treats a result
     * within its first 2 s as the outcome and a call still running then as success.
     */
    int serve(CapturedMount mount) throws Exception;

    /** {@code fuse_exit(fuse)}: end the event loop (jnr-fuse calls it only on Windows). */
    default void exit(CapturedMount mount) {
    }

    /** {@code fuse_notify_poll(ph)} for the poll handle {@code kh}; a negative errno or 0. */
    default int notifyPoll(CapturedMount mount, long kh) {
        return -ru.serce.jnrfuse.ErrorCodes.ENOSYS();
    }

    /** {@code fuse_pollhandle_destroy(ph)}: the file system no longer needs poll handle {@code kh}. */
    default void destroyPollHandle(CapturedMount mount, long kh) {
    }
}
