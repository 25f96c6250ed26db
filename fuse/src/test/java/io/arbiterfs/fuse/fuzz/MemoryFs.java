package io.arbiterfs.daemon.fuzz;

import io.arbiterfs.fuse.DirentSink;
import io.arbiterfs.fuse.FuseFileSystem;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Payload;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.Attr;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FlushIn;
import io.arbiterfs.fuse.internal.abi.FsyncIn;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.GetattrIn;
import io.arbiterfs.fuse.internal.abi.MkdirIn;
import io.arbiterfs.fuse.internal.abi.MknodIn;
import io.arbiterfs.fuse.internal.abi.OpenIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.ReleaseIn;
import io.arbiterfs.fuse.internal.abi.SetattrIn;
import io.arbiterfs.fuse.internal.abi.StatfsOut;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import jnr.ffi.Pointer;

/**
 * A small, bounded in-memory file system for fuzzing the dispatch table: fast, no host effects, and
 * strict about the same things the passthrough is (names with '/', ".", ".." are refused). Every
 * structure has a cap, so memory stays bounded however many requests the fuzzer sends; what it
 * holds is reported by {@link #bytesHeld()}.
 */
final class MemoryFs implements FuseFileSystem {
    static final int MAX_NODES = 2048;
    static final int MAX_HANDLES = 1024;
    static final int MAX_FILE = 256 << 10;
    static final int MAX_NAME = 255;
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getSystemRuntime();

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

    private final Map<Long, Node> nodes = new HashMap<>();
    private final Map<Long, Long> handles = new HashMap<>();
    private long nextId = 2;
    private long nextFh = 1;

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
        String s = name.toString();
        return s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || name.length() > MAX_NAME ? null : s;
    }

    private Node dir(long id) {
        Node d = nodes.get(id);
        return d != null && d.type == Linux.S_IFDIR ? d : null;
    }

    private void fill(Node n, Attr a) {
        a.ino(n.id).mode(n.mode).nlink(n.nlink).size(n.size).blocks((n.size + 511) / 512);
    }

    private int entry(Node n, EntryOut out) {
        n.lookups++;
        out.nodeId(n.id).generation(1).entryValid(1).attrValid(1);
        fill(n, out.attr());
        return 0;
    }

    private int make(long parent, Name name, int type, int mode, EntryOut out) {
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
    public synchronized int lookup(Request req, long parent, Name name, EntryOut out) {
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
    public synchronized int getattr(Request req, long node, GetattrIn in, AttrOut out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        fill(n, out.attrValid(1).attr());
        return 0;
    }

    @Override
    public synchronized int setattr(Request req, long node, SetattrIn in, AttrOut out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        if ((in.valid() & FuseConst.FATTR_MODE) != 0) {
            n.mode = (n.mode & Linux.S_IFMT) | (in.mode() & 07777);
        }
        if ((in.valid() & FuseConst.FATTR_SIZE) != 0) {
            if (n.type != Linux.S_IFREG) {
                return -Errno.EISDIR;
            }
            if (in.size() < 0 || in.size() > MAX_FILE) {
                return -Errno.EFBIG;
            }
            resize(n, (int) in.size());
        }
        return getattr(req, node, null, out);
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
    public synchronized int readlink(Request req, long node, Payload out) {
        Node n = nodes.get(node);
        if (n == null || n.type != Linux.S_IFLNK) {
            return n == null ? -Errno.ESTALE : -Errno.EINVAL;
        }
        byte[] t = n.target.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(t.length, out.capacity());
        out.buffer().put(out.offset(), t, 0, len);
        return len;
    }

    @Override
    public synchronized int symlink(Request req, long parent, Name name, Name target, EntryOut out) {
        int rc = make(parent, name, Linux.S_IFLNK, 0777, out);
        if (rc == 0) {
            nodes.get(out.nodeId()).target = target.toString();
        }
        return rc;
    }

    @Override
    public synchronized int mknod(Request req, long parent, Name name, MknodIn in, EntryOut out) {
        return make(parent, name, Linux.S_IFREG, in.mode(), out);
    }

    @Override
    public synchronized int mkdir(Request req, long parent, Name name, MkdirIn in, EntryOut out) {
        return make(parent, name, Linux.S_IFDIR, in.mode(), out);
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
    public synchronized int link(Request req, long node, long newParent, Name newName, EntryOut out) {
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

    private int openHandle(long node, OpenOut out) {
        if (handles.size() >= MAX_HANDLES) {
            return -Errno.EMFILE;
        }
        long fh = nextFh++;
        handles.put(fh, node);
        out.fh(fh);
        return 0;
    }

    @Override
    public synchronized int open(Request req, long node, OpenIn in, OpenOut out) {
        Node n = nodes.get(node);
        return n == null ? -Errno.ESTALE : n.type == Linux.S_IFDIR ? -Errno.EISDIR : openHandle(node, out);
    }

    @Override
    public synchronized int create(Request req, long parent, Name name, CreateIn in, EntryOut entry, OpenOut open) {
        int rc = make(parent, name, Linux.S_IFREG, in.mode(), entry);
        return rc < 0 ? rc : openHandle(entry.nodeId(), open);
    }

    private Node file(long fh) {
        Long id = handles.get(fh);
        Node n = id == null ? null : nodes.get(id);
        return n != null && n.type == Linux.S_IFREG ? n : null;
    }

    @Override
    public synchronized int read(Request req, long node, ReadIn in, Payload out) {
        Node n = file(in.fh());
        if (n == null) {
            return -Errno.EBADF;
        }
        if (in.offset() < 0) {
            return -Errno.EINVAL;
        }
        long len = Math.max(0, Math.min(Math.min(Integer.toUnsignedLong(in.size()), out.capacity()), n.size - in.offset()));
        out.buffer().put(out.offset(), n.data, (int) Math.min(in.offset(), n.size), (int) len);
        return (int) len;
    }

    @Override
    public synchronized int write(Request req, long node, WriteIn in, long data) {
        Node n = file(in.fh());
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
        Pointer.wrap(RUNTIME, data).get(0, n.data, (int) in.offset(), (int) size);
        return (int) size;
    }

    @Override
    public synchronized int flush(Request req, long node, FlushIn in) {
        return handles.containsKey(in.fh()) ? 0 : -Errno.EBADF;
    }

    @Override
    public synchronized int fsync(Request req, long node, FsyncIn in) {
        return handles.containsKey(in.fh()) ? 0 : -Errno.EBADF;
    }

    @Override
    public synchronized int release(Request req, long node, ReleaseIn in) {
        return handles.remove(in.fh()) == null ? -Errno.EBADF : 0;
    }

    @Override
    public synchronized int opendir(Request req, long node, OpenIn in, OpenOut out) {
        return dir(node) == null ? -Errno.ENOTDIR : openHandle(node, out);
    }

    @Override
    public synchronized int readdir(Request req, long node, ReadIn in, DirentSink out) {
        Long id = handles.get(in.fh());
        Node d = id == null ? null : dir(id);
        if (d == null) {
            return -Errno.EBADF;
        }
        long i = 0;
        for (Map.Entry<String, Long> e : d.children.entrySet()) {
            if (i++ < in.offset()) {
                continue;
            }
            Node child = nodes.get(e.getValue());
            ByteBuffer name = ByteBuffer.wrap(e.getKey().getBytes(StandardCharsets.UTF_8));
            int type = child.type >> 12;
            if (out.isPlus()) {
                EntryOut eo = out.addPlus(child.id, i, type, name, 0, name.capacity());
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
    public synchronized int releasedir(Request req, long node, ReleaseIn in) {
        return handles.remove(in.fh()) == null ? -Errno.EBADF : 0;
    }

    @Override
    public int statfs(Request req, long node, StatfsOut out) {
        out.blocks(1 << 20).bfree(1 << 19).bavail(1 << 19).files(MAX_NODES).ffree(MAX_NODES).bsize(4096).namelen(MAX_NAME).frsize(4096);
        return 0;
    }

    @Override
    public synchronized int access(Request req, long node, int mask) {
        return nodes.containsKey(node) ? 0 : -Errno.ESTALE;
    }

    @Override
    public synchronized int setxattr(Request req, long node, Name name, long value, int size, int flags) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        if (size < 0 || size > 64 << 10 || n.xattrs.size() >= 32) {
            return -Errno.ENOSPC;
        }
        byte[] v = new byte[size];
        Pointer.wrap(RUNTIME, value).get(0, v, 0, size);
        n.xattrs.put(name.toString(), v);
        return 0;
    }

    @Override
    public synchronized int getxattr(Request req, long node, Name name, int size, Payload out) {
        Node n = nodes.get(node);
        byte[] v = n == null ? null : n.xattrs.get(name.toString());
        if (v == null) {
            return n == null ? -Errno.ESTALE : -Errno.ENODATA;
        }
        return out.xattrReply(v, size);
    }

    @Override
    public synchronized int listxattr(Request req, long node, int size, Payload out) {
        Node n = nodes.get(node);
        if (n == null) {
            return -Errno.ESTALE;
        }
        StringBuilder b = new StringBuilder();
        n.xattrs.keySet().forEach(k -> b.append(k).append('\0'));
        byte[] v = b.toString().getBytes(StandardCharsets.UTF_8);
        return out.xattrReply(v, size);
    }

    @Override
    public synchronized int removexattr(Request req, long node, Name name) {
        Node n = nodes.get(node);
        return n == null ? -Errno.ESTALE : n.xattrs.remove(name.toString()) == null ? -Errno.ENODATA : 0;
    }
}
