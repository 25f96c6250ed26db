package io.arbiterfs.jnrfuse.bridge;

import java.util.ArrayList;
import java.util.List;

/**
 * An open directory (libfuse 2's {@code struct fuse_dh}): the file system's handle, and for file systems that list
 * without offsets the entries of the last fill, served by position until the listing starts again at offset 0.
 */
final class OpenDir {
    /** One listed name, as the file system gave it to the filler. */
    record Listed(byte[] name, int type, long ino) {}

    final Node node;
    final long fh;
    final int flags;
    /** Guarded by this object: one READDIR of a directory handle at a time. */
    final List<Listed> entries = new ArrayList<>();
    boolean filled;

    OpenDir(Node node, long fh, int flags) {
        this.node = node;
        this.fh = fh;
        this.flags = flags;
    }
}
