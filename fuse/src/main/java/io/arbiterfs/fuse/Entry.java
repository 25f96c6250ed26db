package io.arbiterfs.fuse;

import java.time.Duration;

/**
 * The reply naming a node: to LOOKUP, MKNOD, MKDIR, SYMLINK, LINK, CREATE, TMPFILE and each READDIRPLUS entry.
 * Answering with a node id (not 0) counts one lookup of it, to be given back by
 * {@link FileSystem#forget}.
 */
public interface Entry {
    /** The node id the kernel will use for this file from now on; never 0 or 1 (the root) for other files. */
    Entry node(long nodeId);

    /** The node id set, 0 if none. */
    long node();

    /** Distinguishes a reused node id from its earlier use (needed with NFS export); 0 if ids are never reused. */
    Entry generation(long generation);

    /** How long the kernel may remember that this name leads to this node. */
    Entry entryValidFor(Duration validity);

    /** How long the kernel may use the attributes without asking again. */
    Entry attributesValidFor(Duration validity);

    /** The node's attributes to fill. */
    Attributes attributes();
}
