package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.internal.abi.StatfsOut;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a file system the way the kernel does, without a mount: every call writes a wire-format request into an
 * exchange, runs it through the real dispatch table, and decodes the reply. Handles are the engine's fh numbers, as
 * the kernel sees them. One driver per thread; {@link #another()} gives a second thread a driver on the same table
 * (the same open handles). For tests only.
 */
public class WireDriver {
    public static final long ROOT = FileSystem.ROOT;
    private static final int NO_REPLY = Integer.MIN_VALUE;

    private final OpTable<?, ?> table;
    private final Exchange x = new Exchange(4 << 20); // room for large test writes
    private final ByteBuffer reply;
    private volatile long inFlight;
    private static final java.util.concurrent.atomic.AtomicLong UNIQUE = new java.util.concurrent.atomic.AtomicLong(2);
    /** The credentials requests carry. */
    public volatile int uid;
    public volatile int gid;
    public volatile int pid = 4242;
    public final EntryOut entry = new EntryOut();
    public final AttrOut attr = new AttrOut();
    public final OpenOut open = new OpenOut();
    public final StatfsOut statfs = new StatfsOut();

    /** A driver of {@code fs}; when {@code connection} is given, the file system is initialized with it first. */
    public WireDriver(FileSystem<?, ?> fs, Connection connection) {
        this(new OpTable<>(fs, new NoSession()));
        if (connection != null) {
            fs.init(connection);
        }
    }

    public WireDriver(FileSystem<?, ?> fs) {
        this(fs, null);
    }

    private WireDriver(OpTable<?, ?> table) {
        this.table = table;
        this.reply = x.out;
    }

    /** A driver for another thread, on the same dispatch table and so the same open handles. */
    public WireDriver another() {
        WireDriver d = new WireDriver(table);
        d.uid = uid;
        d.gid = gid;
        d.pid = pid;
        return d;
    }

    /** The dispatch table (for tests of the engine itself). */
    public OpTable<?, ?> table() {
        return table;
    }

    /** Whether a request of this driver is being handled now (another thread is inside {@code send()}). */
    public boolean busy() {
        return inFlight != 0;
    }

    /** Marks this driver's request in flight as interrupted (as a FUSE_INTERRUPT for it would). */
    public boolean interruptInFlight() {
        return x.request.interrupt(inFlight);
    }

    /** Thrown by the checked helpers when the file system answers -errno. */
    public static final class FsError extends RuntimeException {
        public final int errno;

        FsError(String op, long rc) {
            super(op + " failed: errno " + -rc);
            this.errno = (int) -rc;
        }
    }

    public static long check(String op, long rc) {
        if (rc < 0) {
            throw new FsError(op, rc);
        }
        return rc;
    }

    // ---- the wire ----------------------------------------------------------------------------------------

    /** A request being written: the fixed struct, then names and data, at the wire offsets. */
    public final class Req {
        private final ByteBuffer buf = x.requestBuffer();
        private int pos = InHeader.SIZE;
        private final int opcode;
        private final long node;

        Req(int opcode, long node) {
            this.opcode = opcode;
            this.node = node;
            for (int i = 0; i < 512; i += 8) {
                buf.putLong(i, 0);
            }
        }

        public Req u32(int v) {
            buf.putInt(pos, v);
            pos += 4;
            return this;
        }

        public Req u64(long v) {
            buf.putLong(pos, v);
            pos += 8;
            return this;
        }

        public Req bytes(byte[] b) {
            buf.put(pos, b);
            pos += b.length;
            return this;
        }

        /** A NUL-terminated name. */
        public Req name(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
            buf.put(pos++, (byte) 0);
            return this;
        }

        /** Runs the request; returns the reply's error (0 or -errno) or {@code Integer.MIN_VALUE} for no reply. */
        public int send() {
            long unique = UNIQUE.getAndAdd(2);
            buf.putInt(0, pos).putInt(4, opcode).putLong(8, unique).putLong(16, node)
                    .putInt(24, uid).putInt(28, gid).putInt(32, pid).putInt(36, 0);
            inFlight = unique;
            int total;
            try {
                total = table.dispatch(x, pos);
            } finally {
                inFlight = 0;
            }
            if (total < 0) {
                return NO_REPLY;
            }
            int error = reply.getInt(4);
            replyLength = reply.getInt(0) - OutHeader.SIZE;
            return error;
        }
    }

    private int replyLength;

    /** A request with opcode {@code opcode} about {@code node}. */
    public Req req(int opcode, long node) {
        return new Req(opcode, node);
    }

    /** The reply body's length after the last call. */
    public int replyLength() {
        return replyLength;
    }

    /** The reply body after the last call. */
    public byte[] replyBytes() {
        byte[] b = new byte[replyLength];
        reply.get(OutHeader.SIZE, b);
        return b;
    }

    private EntryOut entryReply(int rc) {
        entry.wrap(reply, OutHeader.SIZE);
        return entry;
    }

    /** A result: the reply's error, or the first u32 of the body (a count) on success. */
    private int countOr(int rc) {
        return rc < 0 ? rc : reply.getInt(OutHeader.SIZE);
    }

    // ---- names ---------------------------------------------------------------------------------------------

    public int lookupRc(long parent, String n) {
        int rc = req(Opcode.LOOKUP, parent).name(n).send();
        entryReply(rc);
        return rc;
    }

    public long lookup(long parent, String n) {
        check("lookup " + n, lookupRc(parent, n));
        return entry.nodeId();
    }

    public void forget(long node, long n) {
        req(Opcode.FORGET, node).u64(n).send();
    }

    public int mkdirRc(long parent, String n, int mode, int umask) {
        int rc = req(Opcode.MKDIR, parent).u32(mode).u32(umask).name(n).send();
        entryReply(rc);
        return rc;
    }

    public long mkdir(long parent, String n) {
        check("mkdir " + n, mkdirRc(parent, n, 0755, 0));
        return entry.nodeId();
    }

    public int mknodRc(long parent, String n, int mode, int rdev, int umask) {
        int rc = req(Opcode.MKNOD, parent).u32(mode).u32(rdev).u32(umask).u32(0).name(n).send();
        entryReply(rc);
        return rc;
    }

    public int symlinkRc(long parent, String n, String target) {
        int rc = req(Opcode.SYMLINK, parent).name(n).name(target).send();
        entryReply(rc);
        return rc;
    }

    public long symlink(long parent, String n, String target) {
        check("symlink " + n, symlinkRc(parent, n, target));
        return entry.nodeId();
    }

    public int linkRc(long node, long newParent, String n) {
        int rc = req(Opcode.LINK, newParent).u64(node).name(n).send();
        entryReply(rc);
        return rc;
    }

    public int unlink(long parent, String n) {
        return req(Opcode.UNLINK, parent).name(n).send();
    }

    public int rmdir(long parent, String n) {
        return req(Opcode.RMDIR, parent).name(n).send();
    }

    public int rename(long parent, String n, long newParent, String newName, int flags) {
        return req(Opcode.RENAME2, parent).u64(newParent).u32(flags).u32(0).name(n).name(newName).send();
    }

    public String readlink(long node) {
        check("readlink", req(Opcode.READLINK, node).send());
        return new String(replyBytes(), StandardCharsets.UTF_8);
    }

    // ---- attributes ----------------------------------------------------------------------------------------

    public AttrOut getattr(long node) {
        check("getattr", req(Opcode.GETATTR, node).u32(0).u32(0).u64(0).send());
        return attr.wrap(reply, OutHeader.SIZE);
    }

    /** GETATTR naming open file {@code fh} (fstat). */
    public int getattrRc(long node, long fh) {
        int rc = req(Opcode.GETATTR, node).u32(1).u32(0).u64(fh).send();
        attr.wrap(reply, OutHeader.SIZE);
        return rc;
    }

    /** A fuse_setattr_in; fields not named by {@code valid} are ignored by the file system. */
    public int setattr(long node, int valid, long fh, long size, int mode, long atime, int atimeNsec, long mtime,
                       int mtimeNsec) {
        return setattrFull(node, valid, fh, size, mode, 0, 0, atime, atimeNsec, mtime, mtimeNsec);
    }

    public int setOwner(long node, int valid, int uid, int gid) {
        return setattrFull(node, valid, 0, 0, 0, uid, gid, 0, 0, 0, 0);
    }

    private int setattrFull(long node, int valid, long fh, long size, int mode, int uid, int gid, long atime,
                            int atimeNsec, long mtime, int mtimeNsec) {
        int rc = req(Opcode.SETATTR, node).u32(valid).u32(0).u64(fh).u64(size).u64(0)
                .u64(atime).u64(mtime).u64(0).u32(atimeNsec).u32(mtimeNsec).u32(0).u32(mode).u32(0).u32(uid).u32(gid)
                .u32(0).send();
        attr.wrap(reply, OutHeader.SIZE);
        return rc;
    }

    public StatfsOut statfs(long node) {
        check("statfs", req(Opcode.STATFS, node).send());
        return statfs.wrap(reply, OutHeader.SIZE);
    }

    // ---- files ---------------------------------------------------------------------------------------------

    public int openRc(long node, int flags, int openFlags) {
        int rc = req(Opcode.OPEN, node).u32(flags).u32(openFlags).send();
        open.wrap(reply, OutHeader.SIZE);
        return rc;
    }

    public long open(long node, int flags) {
        check("open", openRc(node, flags, 0));
        return open.fh();
    }

    public int createRc(long parent, String n, int flags, int mode, int umask) {
        int rc = req(Opcode.CREATE, parent).u32(flags).u32(mode).u32(umask).u32(0).name(n).send();
        entryReply(rc);
        open.wrap(reply, OutHeader.SIZE + EntryOut.SIZE);
        return rc;
    }

    /** Creates and returns the fh; {@link #entry} holds the new node, {@link #open} the reply. */
    public long create(long parent, String n, int flags) {
        check("create " + n, createRc(parent, n, flags, 0644, 0));
        return open.fh();
    }

    public int writeRc(long node, long fh, long offset, byte[] data, int writeFlags) {
        int rc = req(Opcode.WRITE, node).u64(fh).u64(offset).u32(data.length).u32(writeFlags).u64(0).u32(0).u32(0)
                .bytes(data).send();
        return countOr(rc);
    }

    public int write(long node, long fh, long offset, byte[] data) {
        return (int) check("write", writeRc(node, fh, offset, data, 0));
    }

    public int readRc(long node, long fh, long offset, int size) {
        int rc = req(Opcode.READ, node).u64(fh).u64(offset).u32(size).u32(0).u64(0).u32(0).u32(0).send();
        return rc < 0 ? rc : replyLength;
    }

    public byte[] read(long node, long fh, long offset, int size) {
        check("read", readRc(node, fh, offset, size));
        return replyBytes();
    }

    public int release(long node, long fh) {
        return req(Opcode.RELEASE, node).u64(fh).u32(0).u32(0).u64(0).send();
    }

    public int flush(long node, long fh) {
        return req(Opcode.FLUSH, node).u64(fh).u32(0).u32(0).u64(0).send();
    }

    public int fsync(long node, long fh, int flags) {
        return req(Opcode.FSYNC, node).u64(fh).u32(flags).u32(0).send();
    }

    public int fsyncdir(long node, long fh, int flags) {
        return req(Opcode.FSYNCDIR, node).u64(fh).u32(flags).u32(0).send();
    }

    public int fallocate(long node, long fh, long offset, long length, int mode) {
        return req(Opcode.FALLOCATE, node).u64(fh).u64(offset).u64(length).u32(mode).u32(0).send();
    }

    public long lseek(long node, long fh, long offset, int whence) {
        int rc = req(Opcode.LSEEK, node).u64(fh).u64(offset).u32(whence).u32(0).send();
        return rc < 0 ? rc : reply.getLong(OutHeader.SIZE);
    }

    public long copyFileRange(long nodeIn, long fhIn, long offIn, long nodeOut, long fhOut, long offOut, long len) {
        int rc = req(Opcode.COPY_FILE_RANGE, nodeIn).u64(fhIn).u64(offIn).u64(nodeOut).u64(fhOut).u64(offOut).u64(len)
                .u64(0).send();
        return rc < 0 ? rc : Integer.toUnsignedLong(reply.getInt(OutHeader.SIZE));
    }

    /** SETLK, or SETLKW when {@code sleep}; another thread may end a waiting one with {@link #interruptInFlight()}. */
    public int setlk(long node, long fh, int type, int lkFlags, boolean sleep) {
        return req(sleep ? Opcode.SETLKW : Opcode.SETLK, node).u64(fh).u64(77).u64(0).u64(Long.MAX_VALUE).u32(type)
                .u32(4242).u32(lkFlags).u32(0).send();
    }

    public int getlk(long node, long fh, int type) {
        return req(Opcode.GETLK, node).u64(fh).u64(77).u64(0).u64(Long.MAX_VALUE).u32(type).u32(4242).u32(0).u32(0)
                .send();
    }

    // ---- xattrs --------------------------------------------------------------------------------------------

    public int setxattr(long node, String n, byte[] value, int flags) {
        return req(Opcode.SETXATTR, node).u32(value.length).u32(flags).name(n).bytes(value).send();
    }

    /** GETXATTR; returns the length (size 0: from the size reply) or -errno; the value is in {@link #replyBytes()}. */
    public int getxattr(long node, String n, int size) {
        int rc = req(Opcode.GETXATTR, node).u32(size).u32(0).name(n).send();
        return rc < 0 ? rc : size == 0 ? reply.getInt(OutHeader.SIZE) : replyLength;
    }

    public int listxattr(long node, int size) {
        int rc = req(Opcode.LISTXATTR, node).u32(size).u32(0).send();
        return rc < 0 ? rc : size == 0 ? reply.getInt(OutHeader.SIZE) : replyLength;
    }

    public int removexattr(long node, String n) {
        return req(Opcode.REMOVEXATTR, node).name(n).send();
    }

    // ---- directories ---------------------------------------------------------------------------------------

    public long opendir(long node) {
        check("opendir", req(Opcode.OPENDIR, node).u32(0).u32(0).send());
        return open.wrap(reply, OutHeader.SIZE).fh();
    }

    public int releasedir(long node, long fh) {
        return req(Opcode.RELEASEDIR, node).u64(fh).u32(0).u32(0).u64(0).send();
    }

    public int access(long node, int mask) {
        return req(Opcode.ACCESS, node).u32(mask).u32(0).send();
    }

    public int syncfs(long node) {
        return req(Opcode.SYNCFS, node).u64(0).send();
    }

    /** One READDIR(PLUS) request's error (0 or -errno); the entries are in {@link #replyBytes()}. */
    public int readdirRc(long node, long fh, long offset, int capacity, boolean plus) {
        return req(plus ? Opcode.READDIRPLUS : Opcode.READDIR, node).u64(fh).u64(offset).u32(capacity).u32(0)
                .u64(0).u32(0).u32(0).send();
    }

    /** One directory entry as a READDIR/READDIRPLUS reply carries it. */
    public record Dirent(long ino, long nextOffset, int type, String name, long nodeId) {}

    /** One READDIR(PLUS) request from {@code offset} into a reply of {@code capacity} bytes, parsed. */
    public List<Dirent> readdirOnce(long node, long fh, long offset, int capacity, boolean plus) {
        check("readdir", req(plus ? Opcode.READDIRPLUS : Opcode.READDIR, node).u64(fh).u64(offset).u32(capacity).u32(0)
                .u64(0).u32(0).u32(0).send());
        List<Dirent> entries = new ArrayList<>();
        int at = OutHeader.SIZE;
        int end = OutHeader.SIZE + replyLength;
        while (at < end) {
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
        if (at != end) {
            throw new AssertionError("readdir reply length " + replyLength + " does not end on an entry");
        }
        return entries;
    }

    /** Lists a whole directory, resuming each request at the last entry's offset. */
    public List<Dirent> readdirAll(long node, int capacity, boolean plus) {
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
                throw new AssertionError("readdir does not end");
            }
        }
        check("releasedir", releasedir(node, fh));
        return all;
    }
}
