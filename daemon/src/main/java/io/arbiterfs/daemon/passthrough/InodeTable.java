package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node id → {@link Inode}, plus (st_dev, st_ino) → Inode so every name of one file maps to one node
 * id. Node ids come from a counter and are never reused, so a constant generation is enough.
 */
final class InodeTable {
    private static final Logger log = LoggerFactory.getLogger(InodeTable.class);
    private static final LibC libc = LibC.get();

    private record FileKey(long dev, long ino) {}

    private final ConcurrentHashMap<Long, Inode> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<FileKey, Inode> byFile = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FileSystem.ROOT + 1);
    private final Inode root;

    /** Takes ownership of {@code rootFd}; {@code st} describes it. */
    InodeTable(int rootFd, StatBuffer st) {
        root = new Inode(FileSystem.ROOT, rootFd, st.dev(), st.ino(), st.mode());
        byId.put(root.nodeId(), root);
        byFile.put(new FileKey(root.dev(), root.ino()), root);
    }

    Inode root() {
        return root;
    }

    /** The live inode for a node id, or null. */
    Inode get(long nodeId) {
        return byId.get(nodeId);
    }

    /**
     * Counts one lookup of the file behind {@code pathFd} (described by {@code st}) and returns its
     * inode. Takes ownership of {@code pathFd}: it becomes the fd of a new inode, or is closed when
     * the file already has one.
     */
    Inode adopt(int pathFd, StatBuffer st) {
        FileKey key = new FileKey(st.dev(), st.ino());
        int mode = st.mode();
        Inode[] created = new Inode[1];
        // compute() serializes against other lookups of the same file; acquire() refuses an inode
        // whose last forget already ran, so a racing lookup replaces it instead of reviving it.
        Inode inode = byFile.compute(key, (k, existing) -> {
            if (existing != null && existing.acquire()) {
                return existing;
            }
            Inode fresh = new Inode(nextId.getAndIncrement(), pathFd, k.dev(), k.ino(), mode);
            byId.put(fresh.nodeId(), fresh);
            created[0] = fresh;
            return fresh;
        });
        if (inode != created[0]) {
            libc.close(pathFd);
        }
        return inode;
    }

    /** The kernel dropped {@code n} lookups; at 0 the inode leaves both maps and its fd is closed. */
    void forget(long nodeId, long n) {
        Inode inode = byId.get(nodeId);
        if (inode == null) {
            log.debug("forget of unknown node {}", nodeId);
            return;
        }
        if (inode == root || !inode.release(n)) {
            return;
        }
        byFile.remove(new FileKey(inode.dev(), inode.ino()), inode);
        byId.remove(nodeId, inode);
        libc.close(inode.fd());
    }

    int size() {
        return byId.size();
    }

    /** Closes every fd, the root's included; the table is unusable afterwards. */
    void closeAll() {
        for (Inode inode : byId.values()) {
            libc.close(inode.fd());
        }
        byId.clear();
        byFile.clear();
    }
}
