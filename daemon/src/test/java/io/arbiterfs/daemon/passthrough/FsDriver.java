package io.arbiterfs.daemon.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.arbiterfs.fuse.DirentSink;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Payload;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeIn;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FallocateIn;
import io.arbiterfs.fuse.internal.abi.FlushIn;
import io.arbiterfs.fuse.internal.abi.FsyncIn;
import io.arbiterfs.fuse.internal.abi.GetattrIn;
import io.arbiterfs.fuse.internal.abi.LkIn;
import io.arbiterfs.fuse.internal.abi.LseekIn;
import io.arbiterfs.fuse.internal.abi.MkdirIn;
import io.arbiterfs.fuse.internal.abi.MknodIn;
import io.arbiterfs.fuse.internal.abi.OpenIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.ReleaseIn;
import io.arbiterfs.fuse.internal.abi.SetattrIn;
import io.arbiterfs.fuse.internal.abi.StatfsOut;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link PassthroughFs} the way the session would, without a mount: request structs are
 * written at their ABI offsets into a direct little-endian buffer and wrapped with the kernel views;
 * names are NUL-terminated in that buffer. One driver per thread (the views are flyweights).
 */
final class FsDriver {
    static final long ROOT = 1;
    private static final int NAME1 = 4096;
    private static final int NAME2 = 8192;

    final PassthroughFs fs;
    final Request req = new Request();
    private long unique = 1;
    private final ByteBuffer in = Native.buffer(16384);
    private final long inAddr = Native.address(in);
    private final ByteBuffer out = Native.buffer(1 << 16);
    private final long outAddr = Native.address(out);
    final EntryOut entry = new EntryOut();
    final AttrOut attr = new AttrOut();
    final OpenOut open = new OpenOut();
    final StatfsOut statfs = new StatfsOut();
    private final Payload payload = new Payload();

    FsDriver(PassthroughFs fs) {
        this.fs = fs;
    }

    /** Thrown by the checked helpers when the file system answers -errno. */
    static final class FsError extends RuntimeException {
        final int errno;

        FsError(String op, long rc) {
            super(op + " failed: errno " + -rc);
            this.errno = (int) -rc;
        }
    }

    static long check(String op, long rc) {
        if (rc < 0) {
            throw new FsError(op, rc);
        }
        return rc;
    }

    Request req(long node) {
        req.set(unique++, 0, node, 0, 0, 4242);
        return req;
    }

    private ByteBuffer clearIn() {
        for (int i = 0; i < 128; i += 8) {
            in.putLong(i, 0);
        }
        return in;
    }

    private Name name(int at, byte[] bytes) {
        in.put(at, bytes).put(at + bytes.length, (byte) 0);
        return new Name().set(in, inAddr, at, bytes.length);
    }

    Name name(String s) {
        return name(NAME1, s.getBytes(StandardCharsets.UTF_8));
    }

    Name name2(String s) {
        return name(NAME2, s.getBytes(StandardCharsets.UTF_8));
    }

    private EntryOut entryOut() {
        return entry.wrap(out, 0).clear();
    }

    // ---- names ----

    int lookupRc(long parent, String n) {
        return fs.lookup(req(parent), parent, name(n), entryOut());
    }

    long lookup(long parent, String n) {
        check("lookup " + n, lookupRc(parent, n));
        return entry.nodeId();
    }

    void forget(long node, long n) {
        fs.forget(node, n);
    }

    int mkdirRc(long parent, String n, int mode, int umask) {
        clearIn().putInt(0, mode).putInt(4, umask);
        return fs.mkdir(req(parent), parent, name(n), new MkdirIn().wrap(in, 0), entryOut());
    }

    long mkdir(long parent, String n) {
        check("mkdir " + n, mkdirRc(parent, n, 0755, 0));
        return entry.nodeId();
    }

    int mknodRc(long parent, String n, int mode, int rdev, int umask) {
        clearIn().putInt(0, mode).putInt(4, rdev).putInt(8, umask);
        return fs.mknod(req(parent), parent, name(n), new MknodIn().wrap(in, 0), entryOut());
    }

    int symlinkRc(long parent, String n, String target) {
        return fs.symlink(req(parent), parent, name(n), name2(target), entryOut());
    }

    long symlink(long parent, String n, String target) {
        check("symlink " + n, symlinkRc(parent, n, target));
        return entry.nodeId();
    }

    int linkRc(long node, long newParent, String n) {
        return fs.link(req(node), node, newParent, name(n), entryOut());
    }

    int unlink(long parent, String n) {
        return fs.unlink(req(parent), parent, name(n));
    }

    int rmdir(long parent, String n) {
        return fs.rmdir(req(parent), parent, name(n));
    }

    int rename(long parent, String n, long newParent, String newName, int flags) {
        return fs.rename(req(parent), parent, name(n), newParent, name2(newName), flags);
    }

    String readlink(long node) {
        payload.set(out, outAddr, 0, 4096);
        int n = (int) check("readlink", fs.readlink(req(node), node, payload));
        byte[] b = new byte[n];
        out.get(0, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- attributes ----

    AttrOut getattr(long node) {
        clearIn();
        check("getattr", fs.getattr(req(node), node, new GetattrIn().wrap(in, 0), attr.wrap(out, 0).clear()));
        return attr;
    }

    /** Fills a fuse_setattr_in; fields not covered by {@code valid} are ignored by the fs. */
    int setattr(long node, int valid, long fh, long size, int mode, long atime, int atimeNsec, long mtime, int mtimeNsec) {
        clearIn().putInt(0, valid).putLong(8, fh).putLong(16, size)
                .putLong(32, atime).putLong(40, mtime).putInt(56, atimeNsec).putInt(60, mtimeNsec)
                .putInt(68, mode);
        return fs.setattr(req(node), node, new SetattrIn().wrap(in, 0), attr.wrap(out, 0).clear());
    }

    int setOwner(long node, int valid, int uid, int gid) {
        clearIn().putInt(0, valid).putInt(76, uid).putInt(80, gid);
        return fs.setattr(req(node), node, new SetattrIn().wrap(in, 0), attr.wrap(out, 0).clear());
    }

    StatfsOut statfs(long node) {
        check("statfs", fs.statfs(req(node), node, statfs.wrap(out, 0).clear()));
        return statfs;
    }

    // ---- files ----

    int openRc(long node, int flags, int openFlags) {
        clearIn().putInt(0, flags).putInt(4, openFlags);
        return fs.open(req(node), node, new OpenIn().wrap(in, 0), open.wrap(out, 0).clear());
    }

    long open(long node, int flags) {
        check("open", openRc(node, flags, 0));
        return open.fh();
    }

    int createRc(long parent, String n, int flags, int mode, int umask) {
        clearIn().putInt(0, flags).putInt(4, mode).putInt(8, umask);
        return fs.create(req(parent), parent, name(n), new CreateIn().wrap(in, 0), entryOut(),
                open.wrap(out, EntryOut.SIZE).clear());
    }

    /** Creates and returns the fh; {@link #entry} holds the new node, {@link #open} the reply. */
    long create(long parent, String n, int flags) {
        check("create " + n, createRc(parent, n, flags, 0644, 0));
        open.wrap(out, EntryOut.SIZE);
        return open.fh();
    }

    int writeRc(long node, long fh, long offset, long address, int size, int writeFlags) {
        clearIn().putLong(0, fh).putLong(8, offset).putInt(16, size).putInt(20, writeFlags);
        return fs.write(req(node), node, new WriteIn().wrap(in, 0), address);
    }

    int write(long node, long fh, long offset, byte[] data) {
        ByteBuffer b = Native.buffer(Math.max(1, data.length));
        b.put(0, data);
        return (int) check("write", writeRc(node, fh, offset, Native.address(b), data.length, 0));
    }

    int readRc(long node, long fh, long offset, ByteBuffer into, int size) {
        clearIn().putLong(0, fh).putLong(8, offset).putInt(16, size);
        payload.set(into, Native.address(into), 0, into.capacity());
        return fs.read(req(node), node, new ReadIn().wrap(in, 0), payload);
    }

    byte[] read(long node, long fh, long offset, int size) {
        ByteBuffer b = Native.buffer(Math.max(1, size));
        int n = (int) check("read", readRc(node, fh, offset, b, size));
        byte[] r = new byte[n];
        b.get(0, r);
        return r;
    }

    int release(long node, long fh) {
        clearIn().putLong(0, fh);
        return fs.release(req(node), node, new ReleaseIn().wrap(in, 0));
    }

    int flush(long node, long fh) {
        clearIn().putLong(0, fh);
        return fs.flush(req(node), node, new FlushIn().wrap(in, 0));
    }

    int fsync(long node, long fh, int flags) {
        clearIn().putLong(0, fh).putInt(8, flags);
        return fs.fsync(req(node), node, new FsyncIn().wrap(in, 0));
    }

    int fsyncdir(long node, long fh, int flags) {
        clearIn().putLong(0, fh).putInt(8, flags);
        return fs.fsyncdir(req(node), node, new FsyncIn().wrap(in, 0));
    }

    int fallocate(long node, long fh, long offset, long length, int mode) {
        clearIn().putLong(0, fh).putLong(8, offset).putLong(16, length).putInt(24, mode);
        return fs.fallocate(req(node), node, new FallocateIn().wrap(in, 0));
    }

    long lseek(long node, long fh, long offset, int whence) {
        clearIn().putLong(0, fh).putLong(8, offset).putInt(16, whence);
        return fs.lseek(req(node), node, new LseekIn().wrap(in, 0));
    }

    long copyFileRange(long nodeIn, long fhIn, long offIn, long nodeOut, long fhOut, long offOut, long len) {
        clearIn().putLong(0, fhIn).putLong(8, offIn).putLong(16, nodeOut).putLong(24, fhOut)
                .putLong(32, offOut).putLong(40, len).putLong(48, 0);
        return fs.copyFileRange(req(nodeIn), nodeIn, new CopyFileRangeIn().wrap(in, 0));
    }

    /** SETLK/SETLKW; {@code request} lets a test interrupt it from another thread. */
    int setlk(Request request, long node, long fh, int type, int lkFlags, boolean sleep) {
        clearIn().putLong(0, fh).putLong(8, 77).putLong(16, 0).putLong(24, Long.MAX_VALUE)
                .putInt(32, type).putInt(36, 4242).putInt(40, lkFlags);
        request.set(unique++, 0, node, 0, 0, 4242);
        return fs.setlk(request, node, new LkIn().wrap(in, 0), sleep);
    }

    // ---- xattrs ----

    int setxattr(long node, String n, byte[] value, int flags) {
        ByteBuffer v = Native.buffer(Math.max(1, value.length));
        v.put(0, value);
        return fs.setxattr(req(node), node, name(n), Native.address(v), value.length, flags);
    }

    int getxattr(long node, String n, int size, ByteBuffer into) {
        payload.set(into, Native.address(into), 0, size);
        return fs.getxattr(req(node), node, name(n), size, payload);
    }

    int listxattr(long node, int size, ByteBuffer into) {
        payload.set(into, Native.address(into), 0, size);
        return fs.listxattr(req(node), node, size, payload);
    }

    int removexattr(long node, String n) {
        return fs.removexattr(req(node), node, name(n));
    }

    // ---- directories ----

    long opendir(long node) {
        clearIn();
        check("opendir", fs.opendir(req(node), node, new OpenIn().wrap(in, 0), open.wrap(out, 0).clear()));
        return open.fh();
    }

    int releasedir(long node, long fh) {
        clearIn().putLong(0, fh);
        return fs.releasedir(req(node), node, new ReleaseIn().wrap(in, 0));
    }

    /** One directory entry as a READDIR/READDIRPLUS reply carries it. */
    record Dirent(long ino, long nextOffset, int type, String name, long nodeId) {}

    /** One READDIR(PLUS) request from {@code offset} into a reply of {@code capacity} bytes, parsed. */
    List<Dirent> readdirOnce(long node, long fh, long offset, int capacity, boolean plus) {
        ByteBuffer reply = Native.buffer(capacity);
        DirentSink sink = new DirentSink().reset(reply, 0, capacity, plus);
        clearIn().putLong(0, fh).putLong(8, offset).putInt(16, capacity);
        check("readdir", fs.readdir(req(node), node, new ReadIn().wrap(in, 0), sink));
        List<Dirent> entries = new ArrayList<>();
        int at = 0;
        while (at < sink.length()) {
            long nodeId = 0;
            if (plus) {
                nodeId = reply.getLong(at);
                at += EntryOut.SIZE;
            }
            int nameLength = reply.getInt(at + 16);
            byte[] nameBytes = new byte[nameLength];
            reply.get(at + 24, nameBytes);
            entries.add(new Dirent(reply.getLong(at), reply.getLong(at + 8), reply.getInt(at + 20),
                    new String(nameBytes, StandardCharsets.UTF_8), nodeId));
            at += (24 + nameLength + 7) & ~7;
        }
        assertEquals(sink.length(), at, "reply length");
        return entries;
    }

    /** Lists a whole directory, resuming each request at the last entry's offset. */
    List<Dirent> readdirAll(long node, int capacity, boolean plus) {
        long fh = opendir(node);
        List<Dirent> all = new ArrayList<>();
        long offset = 0;
        for (int rounds = 0; ; rounds++) {
            List<Dirent> batch = readdirOnce(node, fh, offset, capacity, plus);
            if (batch.isEmpty()) {
                break;
            }
            all.addAll(batch);
            offset = batch.get(batch.size() - 1).nextOffset();
            if (rounds > 1_000_000) {
                fail("readdir does not end");
            }
        }
        check("releasedir", releasedir(node, fh));
        return all;
    }
}
