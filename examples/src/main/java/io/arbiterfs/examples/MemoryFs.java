package io.arbiterfs.examples;

import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.Attributes;
import io.arbiterfs.fuse.CreateArgs;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.FsStats;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.OpenArgs;
import io.arbiterfs.fuse.OpenReply;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.SetAttributes;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A file system in memory: directories, regular files, symbolic links, hard links, extended attributes, rename,
 * truncate, times and owners. Written only against the engine's public API.
 *
 * <p>Concurrency: the namespace (names, link counts) changes under one lock; file data has a read-write lock per
 * file, so writes that stay within a file's size run in parallel (each copies into its own range), while writes
 * that extend the file and truncates run alone. That is what lets a mount with parallel direct writes keep several
 * WRITEs in flight on one file.
 *
 * <p>Memory is bounded by {@code capacity}: writes beyond it fail with ENOSPC, so the file system cannot exhaust the
 * JVM's heap.
 */
public final class MemoryFs implements FileSystem<MemoryFs.Handle, MemoryFs.Handle> {
    private static final Duration CACHE = Duration.ofSeconds(1);
    private static final int MAX_NAME = 255;
    private static final int MAX_FILE = Integer.MAX_VALUE - 64;

    /** One file, directory or symlink. Fields other than data are guarded by the file system's namespace lock. */
    private static final class Node {
        final long id;
        int mode;
        int uid;
        int gid;
        int nlink;
        long lookups;
        int opens;
        long atime;
        long mtime;
        long ctime;
        String target; // symlinks
        final Map<String, Node> children; // directories, sorted for stable listings
        final Map<String, byte[]> xattrs = new ConcurrentHashMap<>();
        /** Regular files: the data and its size, guarded by {@link #data}'s lock (read: within size, write: resize). */
        final ReentrantReadWriteLock dataLock = new ReentrantReadWriteLock();
        byte[] data = new byte[0];
        volatile int size;

        Node(long id, int mode, int uid, int gid) {
            this.id = id;
            this.mode = mode;
            this.uid = uid;
            this.gid = gid;
            this.children = Linux.isDirectory(mode) ? new java.util.TreeMap<>() : null;
            long now = now();
            this.atime = this.mtime = this.ctime = now;
        }

        boolean isDir() {
            return children != null;
        }

        boolean isFile() {
            return (mode & Linux.S_IFMT) == Linux.S_IFREG;
        }
    }

    /** An open file or directory: the node, and for directories the names as they were at opendir. */
    public static final class Handle {
        final Node node;
        final List<String> listing;

        Handle(Node node, List<String> listing) {
            this.node = node;
            this.listing = listing;
        }
    }

    private final Object namespace = new Object();
    private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(ROOT + 1);
    private final AtomicLong bytesUsed = new AtomicLong();
    private final long capacity;

    /** An empty file system (a root directory owned by {@code uid}:{@code gid}) holding at most {@code capacity} bytes. */
    public MemoryFs(long capacity, int uid, int gid) {
        this.capacity = capacity;
        Node root = new Node(ROOT, Linux.S_IFDIR | 0755, uid, gid);
        root.nlink = 2;
        nodes.put(ROOT, root);
    }

    /** 256 MiB, the root owned by root. */
    public MemoryFs() {
        this(256L << 20, 0, 0);
    }

    private static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    // ---- facts for decorators ------------------------------------------------------------------------------

    /** Whether {@code node} exists and is a regular file. */
    public boolean isRegularFile(long node) {
        Node n = nodes.get(node);
        return n != null && n.isFile();
    }

    /** The current size of {@code node}'s data (0 for other kinds, or if it is gone). */
    public long size(long node) {
        Node n = nodes.get(node);
        return n == null ? 0 : n.size;
    }

    /** Whether the kernel still holds lookups of {@code node} (or it is the root). */
    public boolean known(long node) {
        Node n = nodes.get(node);
        return n != null && (n.id == ROOT || n.lookups > 0);
    }

    /** One path of {@code node} below the root (the first found), if it still has a name. */
    public Optional<String> path(long node) {
        synchronized (namespace) {
            if (node == ROOT) {
                return Optional.of("");
            }
            return find(nodes.get(ROOT), node, "");
        }
    }

    private Optional<String> find(Node dir, long node, String prefix) {
        for (Map.Entry<String, Node> e : dir.children.entrySet()) {
            String p = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
            if (e.getValue().id == node) {
                return Optional.of(p);
            }
            if (e.getValue().isDir()) {
                Optional<String> below = find(e.getValue(), node, p);
                if (below.isPresent()) {
                    return below;
                }
            }
        }
        return Optional.empty();
    }

    /** Bytes of file data held. */
    public long bytesUsed() {
        return bytesUsed.get();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void fill(Node n, Attributes a) {
        a.ino(n.id).mode(n.mode).nlink(n.nlink).uid(n.uid).gid(n.gid).size(n.isFile() ? n.size
                        : n.target != null ? n.target.length() : 4096)
                .blocks(((long) n.size + 511) / 512).blksize(4096)
                .atime(n.atime / 1_000_000_000L, (int) (n.atime % 1_000_000_000L))
                .mtime(n.mtime / 1_000_000_000L, (int) (n.mtime % 1_000_000_000L))
                .ctime(n.ctime / 1_000_000_000L, (int) (n.ctime % 1_000_000_000L));
    }

    private static int entry(Node n, Entry out) {
        n.lookups++;
        out.node(n.id).entryValidFor(CACHE).attributesValidFor(CACHE);
        fill(n, out.attributes());
        return 0;
    }

    /** 0, or -errno for a name no entry may have. */
    private static int badName(Name name) {
        if (name.length() > MAX_NAME) {
            return -Errno.ENAMETOOLONG;
        }
        return name.length() == 0 || name.isDotOrDotDot() || name.containsSlash() ? -Errno.EINVAL : 0;
    }

    private Node dir(long id) {
        Node d = nodes.get(id);
        return d != null && d.isDir() ? d : null;
    }

    /** Drops a node nobody names, looks up or holds open any more. Namespace lock held. */
    private void collect(Node n) {
        if (n.id != ROOT && n.nlink == 0 && n.lookups == 0 && n.opens == 0) {
            nodes.remove(n.id);
            bytesUsed.addAndGet(-n.data.length);
        }
    }

    private Node make(Request req, long parent, Name name, int mode, Entry out, int[] rc) {
        Node d = dir(parent);
        rc[0] = d == null ? -Errno.ENOTDIR : badName(name);
        if (rc[0] < 0) {
            return null;
        }
        String s = name.string();
        if (d.children.containsKey(s)) {
            rc[0] = -Errno.EEXIST;
            return null;
        }
        int gid = (d.mode & Linux.S_ISGID) != 0 ? d.gid : req.gid();
        if ((d.mode & Linux.S_ISGID) != 0 && Linux.isDirectory(mode)) {
            mode |= Linux.S_ISGID;
        }
        Node n = new Node(nextId.getAndIncrement(), mode, req.uid(), gid);
        n.nlink = n.isDir() ? 2 : 1;
        if (n.isDir()) {
            d.nlink++;
        }
        nodes.put(n.id, n);
        d.children.put(s, n);
        d.mtime = d.ctime = now();
        rc[0] = entry(n, out);
        return n;
    }

    // ---- names ---------------------------------------------------------------------------------------------

    @Override
    public int lookup(Request req, long parent, Name name, Entry out) {
        synchronized (namespace) {
            Node d = dir(parent);
            if (d == null) {
                return -Errno.ENOTDIR;
            }
            Node n = name.isDotOrDotDot() ? null : d.children.get(name.string());
            return n == null ? -Errno.ENOENT : entry(n, out);
        }
    }

    @Override
    public void forget(long node, long lookups) {
        synchronized (namespace) {
            Node n = nodes.get(node);
            if (n != null && n.id != ROOT) {
                n.lookups = Math.max(0, n.lookups - lookups);
                collect(n);
            }
        }
    }

    @Override
    public int getattr(Request req, long node, Handle file, AttributeReply out) {
        synchronized (namespace) {
            Node n = file != null ? file.node : nodes.get(node);
            if (n == null) {
                return -Errno.ENOENT;
            }
            fill(n, out.validFor(CACHE).attributes());
            return 0;
        }
    }

    @Override
    public int setattr(Request req, long node, Handle file, SetAttributes in, AttributeReply out) {
        Node n = file != null ? file.node : nodes.get(node);
        if (n == null) {
            return -Errno.ENOENT;
        }
        if (in.setsSize()) {
            if (!n.isFile()) {
                return n.isDir() ? -Errno.EISDIR : -Errno.EINVAL;
            }
            int rc = resize(n, in.size());
            if (rc < 0) {
                return rc;
            }
        }
        synchronized (namespace) {
            long now = now();
            if (in.setsMode()) {
                n.mode = (n.mode & Linux.S_IFMT) | (in.mode() & 07777);
            }
            if (in.setsUid()) {
                n.uid = in.uid();
            }
            if (in.setsGid()) {
                n.gid = in.gid();
            }
            if (in.killSuidGid() && !in.setsMode()) {
                n.mode &= ~(Linux.S_ISUID | ((n.mode & Linux.S_IXGRP) != 0 ? Linux.S_ISGID : 0));
            }
            if (in.atimeNow()) {
                n.atime = now;
            } else if (in.setsAtime()) {
                n.atime = in.atimeSeconds() * 1_000_000_000L + in.atimeNanos();
            }
            if (in.mtimeNow()) {
                n.mtime = now;
            } else if (in.setsMtime()) {
                n.mtime = in.mtimeSeconds() * 1_000_000_000L + in.mtimeNanos();
            }
            n.ctime = now;
            fill(n, out.validFor(CACHE).attributes());
            return 0;
        }
    }

    @Override
    public int readlink(Request req, long node, ReplyBuffer out) {
        Node n = nodes.get(node);
        if (n == null || n.target == null) {
            return n == null ? -Errno.ENOENT : -Errno.EINVAL;
        }
        byte[] t = n.target.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(t.length, out.capacity());
        out.put(0, t, 0, len);
        return len;
    }

    @Override
    public int symlink(Request req, long parent, Name name, Name target, Entry out) {
        synchronized (namespace) {
            int[] rc = {0};
            Node n = make(req, parent, name, Linux.S_IFLNK | 0777, out, rc);
            if (n != null) {
                n.target = target.string();
                out.attributes().size(target.length());
            }
            return rc[0];
        }
    }

    @Override
    public int mknod(Request req, long parent, Name name, int mode, int umask, int rdev, Entry out) {
        if ((mode & Linux.S_IFMT) != Linux.S_IFREG && (mode & Linux.S_IFMT) != Linux.S_IFIFO) {
            return -Errno.EPERM; // no device nodes or sockets in memory
        }
        synchronized (namespace) {
            int[] rc = {0};
            make(req, parent, name, mode, out, rc);
            return rc[0];
        }
    }

    @Override
    public int mkdir(Request req, long parent, Name name, int mode, int umask, Entry out) {
        synchronized (namespace) {
            int[] rc = {0};
            make(req, parent, name, Linux.S_IFDIR | (mode & 07777), out, rc);
            return rc[0];
        }
    }

    @Override
    public int unlink(Request req, long parent, Name name) {
        return remove(parent, name, false);
    }

    @Override
    public int rmdir(Request req, long parent, Name name) {
        return remove(parent, name, true);
    }

    private int remove(long parent, Name name, boolean directory) {
        synchronized (namespace) {
            Node d = dir(parent);
            Node n = d == null || badName(name) < 0 ? null : d.children.get(name.string());
            if (n == null) {
                return d == null ? -Errno.ENOTDIR : -Errno.ENOENT;
            }
            if (directory != n.isDir()) {
                return directory ? -Errno.ENOTDIR : -Errno.EISDIR;
            }
            if (directory && !n.children.isEmpty()) {
                return -Errno.ENOTEMPTY;
            }
            d.children.remove(name.string());
            n.nlink = directory ? 0 : n.nlink - 1;
            if (directory) {
                d.nlink--;
            }
            d.mtime = d.ctime = n.ctime = now();
            collect(n);
            return 0;
        }
    }

    @Override
    public int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
        synchronized (namespace) {
            Node from = dir(parent);
            Node to = dir(newParent);
            if (from == null || to == null) {
                return -Errno.ENOTDIR;
            }
            int rc = badName(name) < 0 ? badName(name) : badName(newName);
            if (rc < 0) {
                return rc;
            }
            String a = name.string();
            String b = newName.string();
            Node moving = from.children.get(a);
            if (moving == null) {
                return -Errno.ENOENT;
            }
            Node replaced = to.children.get(b);
            if (moving.isDir() && contains(moving, to)) {
                return -Errno.EINVAL; // a directory never moves below itself
            }
            if ((flags & Linux.RENAME_EXCHANGE) != 0) {
                if (replaced == null) {
                    return -Errno.ENOENT;
                }
                from.children.put(a, replaced);
                to.children.put(b, moving);
                return 0;
            }
            if (replaced != null) {
                if ((flags & Linux.RENAME_NOREPLACE) != 0) {
                    return -Errno.EEXIST;
                }
                if (replaced == moving) {
                    return 0;
                }
                if (replaced.isDir() != moving.isDir()) {
                    return replaced.isDir() ? -Errno.EISDIR : -Errno.ENOTDIR;
                }
                if (replaced.isDir() && !replaced.children.isEmpty()) {
                    return -Errno.ENOTEMPTY;
                }
                replaced.nlink = replaced.isDir() ? 0 : replaced.nlink - 1;
                if (replaced.isDir()) {
                    to.nlink--;
                }
                collect(replaced);
            } else if (flags != 0 && (flags & Linux.RENAME_NOREPLACE) == 0) {
                return -Errno.EINVAL;
            }
            from.children.remove(a);
            to.children.put(b, moving);
            if (moving.isDir() && from != to) {
                from.nlink--;
                to.nlink++;
            }
            long now = now();
            from.mtime = from.ctime = to.mtime = to.ctime = moving.ctime = now;
            return 0;
        }
    }

    /** Whether {@code dir} is {@code ancestor} or below it. */
    private boolean contains(Node ancestor, Node dir) {
        if (ancestor == dir) {
            return true;
        }
        for (Node c : ancestor.children.values()) {
            if (c.isDir() && contains(c, dir)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int link(Request req, long node, long newParent, Name newName, Entry out) {
        synchronized (namespace) {
            Node n = nodes.get(node);
            Node d = dir(newParent);
            if (n == null || d == null) {
                return -Errno.ENOENT;
            }
            int rc = badName(newName);
            if (rc < 0) {
                return rc;
            }
            if (n.isDir()) {
                return -Errno.EPERM;
            }
            if (d.children.putIfAbsent(newName.string(), n) != null) {
                return -Errno.EEXIST;
            }
            n.nlink++;
            n.ctime = d.mtime = d.ctime = now();
            return entry(n, out);
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------

    @Override
    public int open(Request req, long node, OpenArgs args, OpenReply<Handle> out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ENOENT;
        }
        if (n.isDir()) {
            return -Errno.EISDIR;
        }
        if ((args.flags() & Linux.O_TRUNC) != 0 && n.isFile()) {
            resize(n, 0);
        }
        return opened(n, out);
    }

    private int opened(Node n, OpenReply<Handle> out) {
        synchronized (namespace) {
            n.opens++;
        }
        out.handle(new Handle(n, null));
        return 0;
    }

    @Override
    public int create(Request req, long parent, Name name, CreateArgs args, Entry entry, OpenReply<Handle> open) {
        Node n;
        synchronized (namespace) {
            Node d = dir(parent);
            Node existing = d == null || badName(name) < 0 ? null : d.children.get(name.string());
            if (existing != null) {
                if ((args.flags() & Linux.O_EXCL) != 0) {
                    return -Errno.EEXIST;
                }
                entry(existing, entry);
                n = existing;
            } else {
                int[] rc = {0};
                n = make(req, parent, name, Linux.S_IFREG | (args.mode() & 07777), entry, rc);
                if (n == null) {
                    return rc[0];
                }
            }
        }
        return opened(n, open);
    }

    @Override
    public int read(Request req, long node, Handle h, long offset, int size, ReplyBuffer out) {
        Node n = h.node;
        n.dataLock.readLock().lock();
        try {
            if (offset >= n.size) {
                return 0;
            }
            int len = (int) Math.min(Math.min(size, out.capacity()), n.size - offset);
            out.put(0, n.data, (int) offset, len);
            return len;
        } finally {
            n.dataLock.readLock().unlock();
        }
    }

    @Override
    public int write(Request req, long node, Handle h, WriteArgs args, DataView data) {
        Node n = h.node;
        long end = args.offset() + args.size();
        if (args.offset() < 0 || end > MAX_FILE) {
            return -Errno.EFBIG;
        }
        // within the file: copy under the shared lock, beside other such writes
        n.dataLock.readLock().lock();
        try {
            if (end <= n.size) {
                data.get(0, n.data, (int) args.offset(), args.size());
                return finishWrite(n, args);
            }
        } finally {
            n.dataLock.readLock().unlock();
        }
        n.dataLock.writeLock().lock();
        try {
            if (end > n.size) {
                int rc = grow(n, (int) end);
                if (rc < 0) {
                    return rc;
                }
            }
            data.get(0, n.data, (int) args.offset(), args.size());
            return finishWrite(n, args);
        } finally {
            n.dataLock.writeLock().unlock();
        }
    }

    private int finishWrite(Node n, WriteArgs args) {
        long now = now();
        n.mtime = now;
        n.ctime = now;
        if (args.killSuidGid()) {
            synchronized (namespace) {
                n.mode &= ~(Linux.S_ISUID | ((n.mode & Linux.S_IXGRP) != 0 ? Linux.S_ISGID : 0));
            }
        }
        return args.size();
    }

    /** Makes the file {@code size} bytes long, new bytes zero. Data lock held exclusively. */
    private int grow(Node n, int size) {
        if (size > n.data.length) {
            int capacityNow = Math.max(size, (int) Math.min(MAX_FILE, Math.max(4096L, n.data.length * 2L)));
            long more = capacityNow - n.data.length;
            if (bytesUsed.addAndGet(more) > capacity) {
                bytesUsed.addAndGet(-more);
                return -Errno.ENOSPC;
            }
            n.data = Arrays.copyOf(n.data, capacityNow);
        }
        n.size = size;
        return 0;
    }

    private int resize(Node n, long size) {
        if (size < 0 || size > MAX_FILE) {
            return -Errno.EFBIG;
        }
        n.dataLock.writeLock().lock();
        try {
            if (size < n.size) {
                Arrays.fill(n.data, (int) size, n.size, (byte) 0);
                n.size = (int) size;
            } else {
                int rc = grow(n, (int) size);
                if (rc < 0) {
                    return rc;
                }
            }
            n.mtime = n.ctime = now();
            return 0;
        } finally {
            n.dataLock.writeLock().unlock();
        }
    }

    @Override
    public int flush(Request req, long node, Handle h, long lockOwner) {
        return 0;
    }

    @Override
    public int fsync(Request req, long node, Handle h, boolean dataOnly) {
        return 0;
    }

    @Override
    public int release(Request req, long node, Handle h, int flags) {
        synchronized (namespace) {
            h.node.opens--;
            collect(h.node);
        }
        return 0;
    }

    @Override
    public int fallocate(Request req, long node, Handle h, int mode, long offset, long length) {
        if ((mode & ~Linux.FALLOC_FL_KEEP_SIZE) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        long end = offset + length;
        if ((mode & Linux.FALLOC_FL_KEEP_SIZE) != 0 || end <= h.node.size) {
            return 0;
        }
        return resize(h.node, end);
    }

    // ---- directories ---------------------------------------------------------------------------------------

    @Override
    public int opendir(Request req, long node, OpenArgs args, OpenReply<Handle> out) {
        synchronized (namespace) {
            Node d = dir(node);
            if (d == null) {
                return -Errno.ENOTDIR;
            }
            List<String> names = new ArrayList<>(List.of(".", ".."));
            names.addAll(d.children.keySet());
            out.handle(new Handle(d, names));
            d.opens++;
            return 0;
        }
    }

    @Override
    public int readdir(Request req, long node, Handle h, long offset, DirectoryListing out) {
        synchronized (namespace) {
            for (int i = (int) offset; i < h.listing.size(); i++) {
                String name = h.listing.get(i);
                Node child = i < 2 ? h.node : h.node.children.get(name);
                if (child == null) {
                    continue; // removed since opendir
                }
                int type = (child.mode & Linux.S_IFMT) >> 12;
                if (out.isPlus() && i >= 2) {
                    Entry e = out.addPlus(child.id, i + 1, type, name);
                    if (e == null) {
                        break;
                    }
                    entry(child, e);
                } else if (!out.add(child.id, i + 1, type, name)) {
                    break;
                }
            }
            return 0;
        }
    }

    @Override
    public int releasedir(Request req, long node, Handle h) {
        synchronized (namespace) {
            h.node.opens--;
            collect(h.node);
        }
        return 0;
    }

    // ---- the rest ------------------------------------------------------------------------------------------

    @Override
    public int statfs(Request req, long node, FsStats out) {
        long blocks = capacity / 4096;
        long free = Math.max(0, capacity - bytesUsed.get()) / 4096;
        out.blocks(blocks).freeBlocks(free).availableBlocks(free).files(1 << 20)
                .freeFiles((1 << 20) - nodes.size()).blockSize(4096).fragmentSize(4096).maxNameLength(MAX_NAME);
        return 0;
    }

    @Override
    public int setxattr(Request req, long node, Name name, DataView value, int flags) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ENOENT;
        }
        String key = name.string();
        if ((flags & Linux.XATTR_CREATE) != 0 && n.xattrs.containsKey(key)) {
            return -Errno.EEXIST;
        }
        if ((flags & Linux.XATTR_REPLACE) != 0 && !n.xattrs.containsKey(key)) {
            return -Errno.ENODATA;
        }
        if (value.size() > 64 << 10) {
            return -Errno.E2BIG;
        }
        n.xattrs.put(key, value.toArray());
        return 0;
    }

    @Override
    public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ENOENT;
        }
        byte[] v = n.xattrs.get(name.string());
        return v == null ? -Errno.ENODATA : out.xattr(v, size);
    }

    @Override
    public int listxattr(Request req, long node, int size, ReplyBuffer out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ENOENT;
        }
        StringBuilder b = new StringBuilder();
        n.xattrs.keySet().stream().sorted().forEach(k -> b.append(k).append('\0'));
        return out.xattr(b.toString().getBytes(StandardCharsets.UTF_8), size);
    }

    @Override
    public int removexattr(Request req, long node, Name name) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ENOENT;
        }
        return n.xattrs.remove(name.string()) == null ? -Errno.ENODATA : 0;
    }
}
