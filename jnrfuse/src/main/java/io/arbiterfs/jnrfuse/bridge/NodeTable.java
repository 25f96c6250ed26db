package io.arbiterfs.jnrfuse.bridge;

import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.jnrfuse.LibFuse2Abi;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

/**
 * The node-id ↔ path table of a path-based file system behind a node-based protocol, as libfuse 2's high-level
 * {@code lib/fuse.c} keeps it: node ids handed out by a counter ({@code next_id}: skips 0 and
 * {@code FUSE_UNKNOWN_INO}, bumps the generation on wrap), one node per (parent, name) with its lookup count
 * ({@code find_node}, {@code forget_node}), names moved by rename ({@code rename_node}) and dropped by unlink
 * ({@code remove_node}).
 *
 * <p><b>Path locking.</b> A path handed to the file system must stay the name of that node until the call returns,
 * or a write could land in a file that took the old name. libfuse 2 locks the nodes along each path
 * ({@code get_path}, {@code queue_path}); here every operation that hands out paths holds {@link #names} shared for
 * the duration of its file-system call, and every name change (rename, unlink, rmdir, hiding, the unlink of a hidden
 * file) holds it exclusively. So a rename waits for the calls in flight and new calls wait for the rename: the same
 * guarantee, mount-wide rather than per subtree. Paths are cached per node and rebuilt only after a name change
 * ({@link #epoch}), so READ and WRITE build no strings.
 */
final class NodeTable {
    private record ChildKey(long parent, String name) {}

    private final Map<Long, Node> byId = new HashMap<>();
    private final Map<ChildKey, Node> byName = new HashMap<>();
    /** Shared: a path is in use; exclusive: names change. Not reentrant: never nested. */
    final StampedLock names = new StampedLock();
    /** Bumped by every name change; cached paths of other epochs are rebuilt. */
    private volatile long epoch;
    private final boolean forgets;
    private long counter;
    private long generation;
    private long hideCounter;
    final Node root;

    /** @param forgets false for libfuse's {@code noforget}: nodes live until unmount */
    NodeTable(boolean forgets) {
        this.forgets = forgets;
        this.root = new Node(FileSystem.ROOT, 0, null, "");
        root.lookups = 1; // never forgotten
        byId.put(root.id, root);
        root.cachePath("/", Long.MIN_VALUE);
    }

    synchronized Node get(long id) {
        return byId.get(id);
    }

    /** Whether the kernel may still name {@code id}. */
    synchronized boolean known(long id) {
        return byId.containsKey(id);
    }

    synchronized int size() {
        return byId.size();
    }

    /** The node named {@code name} in {@code parent}, if the kernel knows it. */
    synchronized Node child(Node parent, String name) {
        return byName.get(new ChildKey(parent.id, name));
    }

    /** A successful lookup of {@code parent/name}: the node, found or made, with one more lookup. */
    synchronized Node lookedUp(Node parent, String name) {
        ChildKey key = new ChildKey(parent.id, name);
        Node n = byName.get(key);
        if (n == null) {
            long id = nextId();
            n = new Node(id, generation, parent, name);
            byId.put(id, n);
            byName.put(key, n);
        }
        n.lookups++;
        return n;
    }

    private long nextId() {
        do {
            counter = (counter + 1) & 0xffffffffL;
            if (counter == 0) {
                generation++;
            }
        } while (counter == 0 || counter == LibFuse2Abi.UNKNOWN_INO || byId.containsKey(counter));
        return counter;
    }

    /** The kernel gave back {@code count} lookups of {@code id}; at zero the node is dropped (root never). */
    synchronized void forget(long id, long count) {
        Node n = byId.get(id);
        if (n == null || n == root || !forgets) {
            return;
        }
        n.lookups -= Math.min(count, n.lookups);
        if (n.lookups == 0) {
            byId.remove(id);
            if (n.name != null) {
                byName.remove(new ChildKey(n.parent.id, n.name), n);
            }
            // parent and name stay: a request still running on this node may be building its path
        }
    }

    synchronized void opened(Node n) {
        n.opens++;
    }

    /** One open fewer; true if that was the last open of a hidden node, which must now be unlinked. */
    synchronized boolean released(Node n) {
        if (n.opens > 0) {
            n.opens--;
        }
        if (n.hidden && n.opens == 0) {
            n.hidden = false;
            return true;
        }
        return false;
    }

    /** Whether {@code parent/name} is a node with opens (libfuse's {@code is_open}). */
    synchronized boolean isOpen(Node parent, String name) {
        Node n = byName.get(new ChildKey(parent.id, name));
        return n != null && n.opens > 0;
    }

    /** Whether {@code n} was hidden by an unlink while open (its getattr reports one link fewer). */
    synchronized boolean isHidden(Node n) {
        return n.hidden;
    }

    /**
     * The next candidate hidden name for {@code n} in {@code dir}: {@code .fuse_hidden} + node id + counter, in hex
     * (libfuse's {@code hidden_name}), skipping names the table knows. The caller checks that the file system has no
     * such name either.
     */
    synchronized String hiddenCandidate(Node dir, Node n) {
        String candidate;
        do {
            hideCounter = (hideCounter + 1) & 0xffffffffL;
            candidate = String.format(".fuse_hidden%08x%08x", n.id & 0xffffffffL, hideCounter);
        } while (byName.containsKey(new ChildKey(dir.id, candidate)));
        return candidate;
    }

    /** The name {@code n} had is gone (unlink, rmdir, the unlink of a hidden file). Names lock held exclusively. */
    synchronized void removeName(Node n) {
        if (n.name != null) {
            byName.remove(new ChildKey(n.parent.id, n.name), n);
            n.name = null;
            n.parent = null;
            n.hidden = false;
            epoch++;
        }
    }

    /**
     * {@code n} is now {@code newParent/newName} (rename, or hiding when {@code hide}); a node the target name had
     * loses its name. Names lock held exclusively.
     *
     * @return false if {@code hide} and the target name appeared meanwhile (libfuse: "hidden file got created during
     *     hiding")
     */
    synchronized boolean move(Node n, Node newParent, String newName, boolean hide) {
        ChildKey target = new ChildKey(newParent.id, newName);
        Node replaced = byName.get(target);
        if (replaced == n) {
            return true;
        }
        if (replaced != null) {
            if (hide) {
                return false;
            }
            removeName(replaced);
        }
        if (n.name != null) {
            byName.remove(new ChildKey(n.parent.id, n.name), n);
        }
        n.parent = newParent;
        n.name = newName;
        byName.put(target, n);
        if (hide) {
            n.hidden = true;
        }
        epoch++;
        return true;
    }

    /**
     * The path of {@code n} ({@code /a/b}), or null if a name on the way was removed. The caller holds {@link #names}
     * (shared or exclusive), so no name changes meanwhile; the result is cached until the next name change.
     */
    String path(Node n) {
        long e = epoch;
        String cached = n.cachedPath(e);
        if (cached != null) {
            return cached;
        }
        if (n == root) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (Node at = n; at != root; at = at.parent) {
            if (at == null || at.name == null) {
                return null;
            }
            b.insert(0, at.name).insert(0, '/');
        }
        String p = b.toString();
        n.cachePath(p, e);
        return p;
    }

    /** The path of {@code name} in {@code parent}, or null if the parent has no path. Names lock held. */
    String childPath(Node parent, String name) {
        String p = path(parent);
        if (p == null) {
            return null;
        }
        return parent == root ? "/" + name : p + "/" + name;
    }

    /** {@link #path} for callers that hold no lock (status, policy matching): an optimistic read, then a shared one. */
    String pathUnlocked(Node n) {
        long stamp = names.tryOptimisticRead();
        String p = stamp == 0 ? null : pathQuietly(n);
        if (stamp != 0 && names.validate(stamp)) {
            return p;
        }
        stamp = names.readLock();
        try {
            return path(n);
        } finally {
            names.unlockRead(stamp);
        }
    }

    /** A path build that tolerates names changing under it (the optimistic read validates afterwards). */
    private String pathQuietly(Node n) {
        try {
            return path(n);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
