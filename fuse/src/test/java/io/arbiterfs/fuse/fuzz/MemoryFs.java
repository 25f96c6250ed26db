package io.arbiterfs.fuse.fuzz;

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
import java.time.Duration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small, bounded in-memory file system for fuzzing the dispatch table: fast, no host effects, and
 * strict about the same things the passthrough is (names with '/', ".", ".." are refused). Every
 * structure has a cap, so memory stays bounded however many requests the fuzzer sends; what it
 * holds is reported by {@link #bytesHeld()}.
 */
final class MemoryFs implements FileSystem<MemoryFs.Handle, MemoryFs.Handle> {
    static final int MAX_NODES = 2048;
    static final int MAX_HANDLES = 1024;
    static final int MAX_FILE = 256 << 10;
    static final int MAX_NAME = 255;
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static final class Node {
        final long id;
        final int type;
        int mode;
        int nlink = 1;
        long lookups;
        byte[] data = new byte[0];
        int size;
        String target;
        final TreeMap<String, Long> children = new TreeMap<>();
        final Map<String, byte[]> xattrs = new HashMap<>();

        Node(long id, int type, int mode) {
            this.id = id;
            this.type = type;
            this.mode = type | (mode & 07777);
        }
    }

    /** An open file or directory. */
    static final class Handle {
        final Node node;
        boolean open = true;

        Handle(Node node) {
            this.node = node;
        }
    }

    private final Map<Long, Node> nodes = new HashMap<>();
    private int handles;
    private long nextId = 2;

    MemoryFs() {
        nodes.put(1L, new Node(1, Linux.S_IFDIR, 0755));
    }

    /** Rough bytes of file data, names and xattrs held, for the harness's memory bound. */
    synchronized long bytesHeld() {
        long b = 0;
        for (Node n : nodes.values()) {
            b += n.data.length + 64L * n.children.size() + n.xattrs.values().stream().mapToLong(v -> v.length + 64).sum();
        }
        return b;
    }

    synchronized int nodeCount() {
        return nodes.size();
    }

    private static String checked(Name name) {
        String s = name.string();
        return s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || name.length() > MAX_NAME ? null : s;
    }

    private Node dir(long id) {
        Node d = nodes.get(id);
        return d != null && d.type == Linux.S_IFDIR ? d : null;
    }

    private void fill(Node n, Attributes a) {
        a.ino(n.id).mode(n.mode).nlink(n.nlink).size(n.size).blocks((n.size + 511) / 512);
    }

    private int entry(Node n, Entry out) {
        n.lookups++;
        out.node(n.id).generation(1).entryValidFor(SECOND).attributesValidFor(SECOND);
        fill(n, out.attributes());
        return 0;
    }

    private int make(long parent, Name name, int type, int mode, Entry out) {
        Node d = dir(parent);
        String s = checked(name);
        if (d == null || s == null) {
            return d == null ? -Errno.ENOTDIR : -Errno.EINVAL;
        }
        if (d.children.containsKey(s)) {
            return -Errno.EEXIST;
        }
        if (nodes.size() >= MAX_NODES) {
            return -Errno.ENOSPC;
        }
        Node n = new Node(nextId++, type, mode);
        nodes.put(n.id, n);
        d.children.put(s, n.id);
        return entry(n, out);
    }

    @Override
    public synchronized int lookup(Request req, long parent, Name name, Entry out) {
        Node d = dir(parent);
        String s = checked(name);
        if (d == null || s == null) {
            return d == null ? -Errno.ENOTDIR : -Errno.ENOENT;
        }
        Long id = d.children.get(s);
        return id == null ? -Errno.ENOENT : entry(nodes.get(id), out);
    }

    @Override
    public synchronized void forget(long node, long nlookup) {
        Node n = nodes.get(node);
        if (n != null && n.id != 1) {
            n.lookups = Math.max(0, n.lookups - nlookup);
            if (n.lookups == 0 && n.nlink == 0) {
                nodes.remove(node);
            }
        }
    }

    @Override
    public synchronized int getattr(Request req, long node, Handle file, AttributeReply out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        fill(n, out.validFor(SECOND).attributes());
        return 0;
    }

    @Override
    public synchronized int setattr(Request req, long node, Handle file, SetAttributes in, AttributeReply out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        if (in.setsMode()) {
            n.mode = (n.mode & Linux.S_IFMT) | (in.mode() & 07777);
        }
        if (in.setsSize()) {
            if (n.type != Linux.S_IFREG) {
                return -Errno.EISDIR;
            }
            if (in.size() < 0 || in.size() > MAX_FILE) {
                return -Errno.EFBIG;
            }
            resize(n, (int) in.size());
        }
        return getattr(req, node, file, out);
    }

    private static void resize(Node n, int size) {
        if (size > n.data.length) {
            n.data = java.util.Arrays.copyOf(n.data, Math.min(MAX_FILE, Math.max(size, n.data.length * 2)));
        } else if (size < n.size) {
            java.util.Arrays.fill(n.data, size, n.size, (byte) 0);
        }
        n.size = size;
    }

    @Override
    public synchronized int readlink(Request req, long node, ReplyBuffer out) {
        Node n = nodes.get(node);
        if (n == null || n.type != Linux.S_IFLNK) {
            return n == null ? -Errno.ESTALE : -Errno.EINVAL;
        }
        byte[] t = n.target.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(t.length, out.capacity());
        out.put(0, t, 0, len);
        return len;
    }

    @Override
    public synchronized int symlink(Request req, long parent, Name name, Name target, Entry out) {
        int rc = make(parent, name, Linux.S_IFLNK, 0777, out);
        if (rc == 0) {
            nodes.get(out.node()).target = target.string();
        }
        return rc;
    }

    @Override
    public synchronized int mknod(Request req, long parent, Name name, int mode, int umask, int rdev, Entry out) {
        return make(parent, name, Linux.S_IFREG, mode, out);
    }

    @Override
    public synchronized int mkdir(Request req, long parent, Name name, int mode, int umask, Entry out) {
        return make(parent, name, Linux.S_IFDIR, mode, out);
    }

    private int remove(long parent, Name name, boolean wantDir) {
        Node d = dir(parent);
        String s = checked(name);
        Long id = d == null || s == null ? null : d.children.get(s);
        if (id == null) {
            return -Errno.ENOENT;
        }
        Node n = nodes.get(id);
        if (wantDir != (n.type == Linux.S_IFDIR)) {
            return wantDir ? -Errno.ENOTDIR : -Errno.EISDIR;
        }
        if (wantDir && !n.children.isEmpty()) {
            return -Errno.ENOTEMPTY;
        }
        d.children.remove(s);
        if (--n.nlink == 0 && n.lookups == 0) {
            nodes.remove(id);
        }
        return 0;
    }

    @Override
    public synchronized int unlink(Request req, long parent, Name name) {
        return remove(parent, name, false);
    }

    @Override
    public synchronized int rmdir(Request req, long parent, Name name) {
        return remove(parent, name, true);
    }

    @Override
    public synchronized int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
        Node from = dir(parent);
        Node to = dir(newParent);
        String a = checked(name);
        String b = checked(newName);
        if (from == null || to == null || a == null || b == null || !from.children.containsKey(a)) {
            return -Errno.ENOENT;
        }
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        Long moving = from.children.get(a);
        if (to.children.containsKey(b) || moving == newParent) {
            return -Errno.EEXIST; // no replacing, and a directory never moves into itself
        }
        to.children.put(b, from.children.remove(a));
        return 0;
    }

    @Override
    public synchronized int link(Request req, long node, long newParent, Name newName, Entry out) {
        Node n = nodes.get(node);
        Node d = dir(newParent);
        String s = checked(newName);
        if (n == null || d == null || s == null || n.type == Linux.S_IFDIR) {
            return -Errno.EINVAL;
        }
        if (d.children.putIfAbsent(s, n.id) != null) {
            return -Errno.EEXIST;
        }
        n.nlink++;
        return entry(n, out);
    }

    private int openHandle(long node, OpenReply<Handle> out) {
        if (handles >= MAX_HANDLES) {
            return -Errno.EMFILE;
        }
        handles++;
        out.handle(new Handle(nodes.get(node)));
        return 0;
    }

    @Override
    public synchronized int open(Request req, long node, OpenArgs args, OpenReply<Handle> out) {
        Node n = nodes.get(node);
        return n == null ? -Errno.ESTALE : n.type == Linux.S_IFDIR ? -Errno.EISDIR : openHandle(node, out);
    }

    @Override
    public synchronized int create(Request req, long parent, Name name, CreateArgs args, Entry entry,
                                   OpenReply<Handle> open) {
        int rc = make(parent, name, Linux.S_IFREG, args.mode(), entry);
        return rc < 0 ? rc : openHandle(entry.node(), open);
    }

    private static Node file(Handle h) {
        Node n = h == null || !h.open ? null : h.node;
        return n != null && n.type == Linux.S_IFREG ? n : null;
    }

    @Override
    public synchronized int read(Request req, long node, Handle h, long offset, int size, ReplyBuffer out) {
        Node n = file(h);
        if (n == null) {
            return -Errno.EBADF;
        }
        if (offset < 0) {
            return -Errno.EINVAL;
        }
        long len = Math.max(0, Math.min(Math.min(Integer.toUnsignedLong(size), out.capacity()), n.size - offset));
        out.put(0, n.data, (int) Math.min(offset, n.size), (int) len);
        return (int) len;
    }

    @Override
    public synchronized int write(Request req, long node, Handle h, WriteArgs in, DataView data) {
        Node n = file(h);
        if (n == null) {
            return -Errno.EBADF;
        }
        long size = Integer.toUnsignedLong(in.size());
        if (in.offset() < 0 || in.offset() + size > MAX_FILE) {
            return -Errno.EFBIG;
        }
        int end = (int) (in.offset() + size);
        if (end > n.size) {
            resize(n, end);
        }
        data.get(0, n.data, (int) in.offset(), (int) size);
        return (int) size;
    }

    @Override
    public synchronized int flush(Request req, long node, Handle h, long lockOwner) {
        return h != null && h.open ? 0 : -Errno.EBADF;
    }

    @Override
    public synchronized int fsync(Request req, long node, Handle h, boolean dataOnly) {
        return h != null && h.open ? 0 : -Errno.EBADF;
    }

    @Override
    public synchronized int release(Request req, long node, Handle h, int flags) {
        return close(h);
    }

    private int close(Handle h) {
        if (h == null || !h.open) {
            return -Errno.EBADF;
        }
        h.open = false;
        handles--;
        return 0;
    }

    @Override
    public synchronized int opendir(Request req, long node, OpenArgs args, OpenReply<Handle> out) {
        return dir(node) == null ? -Errno.ENOTDIR : openHandle(node, out);
    }

    @Override
    public synchronized int readdir(Request req, long node, Handle h, long offset, DirectoryListing out) {
        Node d = h == null || !h.open || h.node.type != Linux.S_IFDIR ? null : h.node;
        if (d == null) {
            return -Errno.EBADF;
        }
        long i = 0;
        for (Map.Entry<String, Long> e : d.children.entrySet()) {
            if (i++ < offset) {
                continue;
            }
            Node child = nodes.get(e.getValue());
            ByteBuffer name = ByteBuffer.wrap(e.getKey().getBytes(StandardCharsets.UTF_8));
            int type = child.type >> 12;
            if (out.isPlus()) {
                Entry eo = out.addPlus(child.id, i, type, name, 0, name.capacity());
                if (eo == null) {
                    break;
                }
                entry(child, eo);
            } else if (!out.add(child.id, i, type, name, 0, name.capacity())) {
                break;
            }
        }
        return 0;
    }

    @Override
    public synchronized int releasedir(Request req, long node, Handle h) {
        return close(h);
    }

    @Override
    public int statfs(Request req, long node, FsStats out) {
        out.blocks(1 << 20).freeBlocks(1 << 19).availableBlocks(1 << 19).files(MAX_NODES).freeFiles(MAX_NODES)
                .blockSize(4096).maxNameLength(MAX_NAME).fragmentSize(4096);
        return 0;
    }

    @Override
    public synchronized int access(Request req, long node, int mask) {
        return nodes.containsKey(node) ? 0 : -Errno.ESTALE;
    }

    @Override
    public synchronized int setxattr(Request req, long node, Name name, DataView value, int flags) {
        int size = value.size();
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        if (size < 0 || size > 64 << 10 || n.xattrs.size() >= 32) {
            return -Errno.ENOSPC;
        }
        n.xattrs.put(name.string(), value.toArray());
        return 0;
    }

    @Override
    public synchronized int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        Node n = nodes.get(node);
        byte[] v = n == null ? null : n.xattrs.get(name.string());
        if (v == null) {
            return n == null ? -Errno.ESTALE : -Errno.ENODATA;
        }
        return out.xattr(v, size);
    }

    @Override
    public synchronized int listxattr(Request req, long node, int size, ReplyBuffer out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        StringBuilder b = new StringBuilder();
        n.xattrs.keySet().forEach(k -> b.append(k).append('\0'));
        byte[] v = b.toString().getBytes(StandardCharsets.UTF_8);
        return out.xattr(v, size);
    }

    @Override
    public synchronized int removexattr(Request req, long node, Name name) {
        Node n = nodes.get(node);
        return n == null ? -Errno.ESTALE : n.xattrs.remove(name.string()) == null ? -Errno.ENODATA : 0;
    }
}
