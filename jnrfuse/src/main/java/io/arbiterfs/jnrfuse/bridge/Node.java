package io.arbiterfs.jnrfuse.bridge;

import io.arbiterfs.fuse.platform.Linux;

/**
 * One name the kernel knows, as libfuse 2's {@code struct node} ({@code lib/fuse.c}): a node id for one
 * (parent, name) pair, so hard links are different nodes, as on libfuse 2. Name, parent and the hidden mark change
 * only under the table's monitor with the namespace lock held exclusively; lookups and opens are counted under the
 * monitor; the cached path, mode and size are read without locks.
 */
final class Node {
    final long id;
    final long generation;
    /** The directory this name is in (root: null) and the name; both null once the name was removed. */
    Node parent;
    String name;
    /** Kernel lookups outstanding (FUSE_FORGET gives them back). */
    long lookups;
    /** Opens not yet released; an unlink of an open name hides it instead (unless hard_remove). */
    int opens;
    /** Renamed to a {@code .fuse_hidden…} name by an unlink while open; unlinked at its last release. */
    boolean hidden;

    /** The path last built for this node, valid while {@link #pathEpoch} is the table's epoch. */
    private volatile String path;
    private volatile long pathEpoch = -1;

    /** What the last attributes said, for the IO-mode arbitration (regular file? how large?). */
    volatile int mode;
    volatile long size;

    Node(long id, long generation, Node parent, String name) {
        this.id = id;
        this.generation = generation;
        this.parent = parent;
        this.name = name;
    }

    boolean isRegularFile() {
        return (mode & Linux.S_IFMT) == Linux.S_IFREG;
    }

    /** The cached path if it was built in {@code epoch}, else null. */
    String cachedPath(long epoch) {
        return pathEpoch == epoch ? path : null;
    }

    void cachePath(String p, long epoch) {
        path = p;
        pathEpoch = epoch; // written last: a reader that sees this epoch sees this path
    }

    /** A write ended at {@code end}: the file is at least that large now. */
    void grewTo(long end) {
        if (end > size) {
            size = end;
        }
    }
}
