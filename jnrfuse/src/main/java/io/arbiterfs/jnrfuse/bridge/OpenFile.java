package io.arbiterfs.jnrfuse.bridge;

/**
 * An open file: its node (so READ and WRITE look nothing up), the file system's {@code fh} from open/create, and
 * the open flags, which libfuse 2 passes in {@code fuse_file_info.flags} to every call on the open file.
 */
final class OpenFile {
    final Node node;
    final long fh;
    final int flags;
    /**
     * The file system set {@code fuse_file_info.direct_io} itself in open/create: libfuse 2's per-open direct IO
     * (file systems whose sizes are unknown rely on it), honoured as asked and left out of the IO-mode arbitration.
     */
    final boolean fsDirectIo;
    /** The lock owner of the last flock(2) lock taken through this open, for the LOCK_UN at release. */
    volatile long flockOwner;

    OpenFile(Node node, long fh, int flags, boolean fsDirectIo) {
        this.node = node;
        this.fh = fh;
        this.flags = flags;
        this.fsDirectIo = fsDirectIo;
    }
}
