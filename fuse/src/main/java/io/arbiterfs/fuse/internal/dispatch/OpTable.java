package io.arbiterfs.fuse.internal.dispatch;

import static io.arbiterfs.fuse.platform.Errno.EBADF;
import static io.arbiterfs.fuse.platform.Errno.EINVAL;
import static io.arbiterfs.fuse.platform.Errno.EIO;
import static io.arbiterfs.fuse.platform.Errno.ENOSYS;

import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.internal.abi.AccessIn;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.BatchForgetIn;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeIn;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeOut;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FallocateIn;
import io.arbiterfs.fuse.internal.abi.FlushIn;
import io.arbiterfs.fuse.internal.abi.ForgetIn;
import io.arbiterfs.fuse.internal.abi.FsyncIn;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.GetattrIn;
import io.arbiterfs.fuse.internal.abi.GetxattrIn;
import io.arbiterfs.fuse.internal.abi.GetxattrOut;
import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.InterruptIn;
import io.arbiterfs.fuse.internal.abi.LinkIn;
import io.arbiterfs.fuse.internal.abi.LkIn;
import io.arbiterfs.fuse.internal.abi.LkOut;
import io.arbiterfs.fuse.internal.abi.LseekIn;
import io.arbiterfs.fuse.internal.abi.LseekOut;
import io.arbiterfs.fuse.internal.abi.MkdirIn;
import io.arbiterfs.fuse.internal.abi.MknodIn;
import io.arbiterfs.fuse.internal.abi.OpenIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.ReleaseIn;
import io.arbiterfs.fuse.internal.abi.Rename2In;
import io.arbiterfs.fuse.internal.abi.RenameIn;
import io.arbiterfs.fuse.internal.abi.SetattrIn;
import io.arbiterfs.fuse.internal.abi.SetxattrIn;
import io.arbiterfs.fuse.internal.abi.StatfsOut;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.fuse.internal.abi.WriteOut;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch table: for each opcode, the size of the fixed request struct it carries and the handler that
 * decodes it, finds the handles it names, calls the file system and encodes the reply. Unknown opcodes answer
 * ENOSYS; a request too short for its struct or with a bad name answers EINVAL, one naming an fh that is not open
 * EBADF; nothing a request contains can throw out of {@link #dispatch}.
 *
 * @param <F> the file system's open-file handle type
 * @param <D> the file system's open-directory handle type
 */
public final class OpTable<F, D> {
    private static final Logger log = LoggerFactory.getLogger(OpTable.class);

    /** A handler's answer when the opcode takes no reply (FORGET, BATCH_FORGET, INTERRUPT). */
    public static final int NO_REPLY = Integer.MIN_VALUE;
    private static final int PATH_MAX = 4096;

    /** Decodes one request from the exchange; returns the reply body length, -errno, or {@link #NO_REPLY}. */
    @FunctionalInterface
    interface Handler {
        int handle(Exchange x);
    }

    /** Session-level requests that are not the file system's business. */
    public interface Control {
        /** FUSE_INIT: fills the reply in the exchange, returns its size or -errno. */
        int init(Exchange x, InitIn in, int bodyLength);

        /** FUSE_INTERRUPT for request {@code unique}; returns 0, or -EAGAIN if it is not (yet) running. */
        int interrupt(long unique);

        /** Whether request {@code unique}, just starting, was interrupted before it got here. */
        default boolean interruptedBeforeStart(long unique) {
            return false;
        }

        void destroy();
    }

    /** One row: the opcode's name, its fixed struct's size, and its handler. */
    private record Op(String name, int argSize, Handler handler) {}

    private final Op[] ops = new Op[Opcode.LIMIT];
    private final FileSystem<F, D> fs;
    private final HandleTable handles = new HandleTable();
    private final Control control;

    public OpTable(FileSystem<F, D> fs, Control control) {
        this.fs = fs;
        this.control = control;
        op(Opcode.INIT, 16, x -> control.init(x, x.in(v(x).initIn), x.bodyLength())); // pre-7.36 kernels send 16 bytes
        op(Opcode.DESTROY, 0, x -> {
            control.destroy();
            return 0;
        });
        op(Opcode.INTERRUPT, InterruptIn.SIZE, x -> {
            int r = control.interrupt(x.in(v(x).interruptIn).unique());
            return r == 0 ? NO_REPLY : r;
        });
        op(Opcode.LOOKUP, 0, x -> withName(x, 0, n -> entry(fs.lookup(x.request, node(x), n, x.out(v(x).entryOut)))));
        op(Opcode.FORGET, ForgetIn.SIZE, x -> {
            fs.forget(node(x), x.in(v(x).forgetIn).nlookup());
            return NO_REPLY;
        });
        op(Opcode.BATCH_FORGET, BatchForgetIn.SIZE, this::batchForget);
        op(Opcode.GETATTR, GetattrIn.SIZE, this::getattr);
        op(Opcode.SETATTR, SetattrIn.SIZE, this::setattr);
        op(Opcode.READLINK, 0, x -> fs.readlink(x.request, node(x), x.payload(0, PATH_MAX)));
        op(Opcode.SYMLINK, 0, this::symlink);
        op(Opcode.MKNOD, MknodIn.SIZE, x -> {
            MknodIn in = x.in(v(x).mknodIn);
            return withName(x, MknodIn.SIZE, n -> entry(fs.mknod(x.request, node(x), n, in.mode(), in.umask(), in.rdev(),
                    x.out(v(x).entryOut))));
        });
        op(Opcode.MKDIR, MkdirIn.SIZE, x -> {
            MkdirIn in = x.in(v(x).mkdirIn);
            return withName(x, MkdirIn.SIZE, n -> entry(fs.mkdir(x.request, node(x), n, in.mode(), in.umask(),
                    x.out(v(x).entryOut))));
        });
        op(Opcode.UNLINK, 0, x -> withName(x, 0, n -> fs.unlink(x.request, node(x), n)));
        op(Opcode.RMDIR, 0, x -> withName(x, 0, n -> fs.rmdir(x.request, node(x), n)));
        op(Opcode.RENAME, RenameIn.SIZE, x -> rename(x, x.in(v(x).renameIn).newDir(), 0, RenameIn.SIZE));
        op(Opcode.RENAME2, Rename2In.SIZE, x -> {
            Rename2In in = x.in(v(x).rename2In);
            return rename(x, in.newDir(), in.flags(), Rename2In.SIZE);
        });
        op(Opcode.LINK, LinkIn.SIZE, x -> {
            long oldNode = x.in(v(x).linkIn).oldNodeId();
            return withName(x, LinkIn.SIZE, n -> entry(fs.link(x.request, oldNode, node(x), n, x.out(v(x).entryOut))));
        });
        op(Opcode.OPEN, OpenIn.SIZE, x -> open(x, false));
        op(Opcode.OPENDIR, OpenIn.SIZE, x -> open(x, true));
        op(Opcode.CREATE, CreateIn.SIZE, x -> {
            CreateIn in = x.in(v(x).createIn);
            return withName(x, CreateIn.SIZE, n -> createLike(x, fs.create(x.request, node(x), n, in,
                    x.out(v(x).entryOut), typedOpen(x))));
        });
        op(Opcode.TMPFILE, CreateIn.SIZE, x -> createLike(x, fs.tmpfile(x.request, node(x), x.in(v(x).createIn),
                x.out(v(x).entryOut), typedOpen(x))));
        op(Opcode.READ, ReadIn.SIZE, this::read);
        op(Opcode.WRITE, WriteIn.SIZE, this::write);
        op(Opcode.STATFS, 0, x -> reply(fs.statfs(x.request, node(x), x.out(v(x).statfsOut)), StatfsOut.SIZE));
        op(Opcode.RELEASE, ReleaseIn.SIZE, this::release);
        op(Opcode.RELEASEDIR, ReleaseIn.SIZE, this::releasedir);
        op(Opcode.FLUSH, FlushIn.SIZE, x -> {
            FlushIn in = x.in(v(x).flushIn);
            F f = file(in.fh());
            return f == null && in.fh() != 0 ? -EBADF : reply(fs.flush(x.request, node(x), f, in.lockOwner()), 0);
        });
        op(Opcode.FSYNC, FsyncIn.SIZE, x -> {
            FsyncIn in = x.in(v(x).fsyncIn);
            F f = file(in.fh());
            return f == null && in.fh() != 0 ? -EBADF : reply(fs.fsync(x.request, node(x), f, dataOnly(in)), 0);
        });
        op(Opcode.FSYNCDIR, FsyncIn.SIZE, x -> {
            FsyncIn in = x.in(v(x).fsyncIn);
            D d = directory(in.fh());
            return d == null && in.fh() != 0 ? -EBADF : reply(fs.fsyncdir(x.request, node(x), d, dataOnly(in)), 0);
        });
        op(Opcode.SETXATTR, SetxattrIn.SIZE, this::setxattr);
        op(Opcode.GETXATTR, GetxattrIn.SIZE, x -> {
            int size = x.in(v(x).getxattrIn).size();
            return withName(x, GetxattrIn.SIZE, n -> sizedAnswer(x, size, fs.getxattr(x.request, node(x), n, size,
                    x.payload(0, size))));
        });
        op(Opcode.LISTXATTR, GetxattrIn.SIZE, x -> {
            int size = x.in(v(x).getxattrIn).size();
            return sizedAnswer(x, size, fs.listxattr(x.request, node(x), size, x.payload(0, size)));
        });
        op(Opcode.REMOVEXATTR, 0, x -> withName(x, 0, n -> fs.removexattr(x.request, node(x), n)));
        op(Opcode.READDIR, ReadIn.SIZE, x -> readdir(x, false));
        op(Opcode.READDIRPLUS, ReadIn.SIZE, x -> readdir(x, true));
        op(Opcode.GETLK, LkIn.SIZE, x -> {
            LkIn in = x.in(v(x).lkIn);
            F f = file(in.fh());
            return f == null && in.fh() != 0 ? -EBADF : reply(fs.getlk(x.request, node(x), f, in, x.out(v(x).lkOut)), LkOut.SIZE);
        });
        op(Opcode.SETLK, LkIn.SIZE, x -> setlk(x, false));
        op(Opcode.SETLKW, LkIn.SIZE, x -> setlk(x, true));
        op(Opcode.ACCESS, AccessIn.SIZE, x -> reply(fs.access(x.request, node(x), x.in(v(x).accessIn).mask()), 0));
        op(Opcode.FALLOCATE, FallocateIn.SIZE, x -> {
            FallocateIn in = x.in(v(x).fallocateIn);
            F f = file(in.fh());
            return f == null && in.fh() != 0 ? -EBADF
                    : reply(fs.fallocate(x.request, node(x), f, in.mode(), in.offset(), in.length()), 0);
        });
        op(Opcode.LSEEK, LseekIn.SIZE, this::lseek);
        op(Opcode.COPY_FILE_RANGE, CopyFileRangeIn.SIZE, x -> copyFileRange(x, false));
        op(Opcode.COPY_FILE_RANGE_64, CopyFileRangeIn.SIZE, x -> copyFileRange(x, true));
        op(Opcode.SYNCFS, 0, x -> reply(fs.syncfs(x.request, node(x)), 0));
    }

    private void op(int opcode, int argSize, Handler handler) {
        ops[opcode] = new Op(Opcode.name(opcode), argSize, handler);
    }

    /** Whether the table has a handler for {@code opcode} (anything else answers ENOSYS). */
    public boolean handles(int opcode) {
        return opcode >= 0 && opcode < ops.length && ops[opcode] != null;
    }

    /** Open files and directories right now. */
    public int openHandles() {
        return handles.size();
    }

    /**
     * Decodes the request of {@code length} bytes in the exchange's request buffer, runs it and encodes the reply in
     * the reply buffer.
     *
     * @return the reply's total length, or -1 if nothing is to be sent
     */
    public int dispatch(Exchange x, int length) {
        if (length < InHeader.SIZE) {
            log.warn("dropping a {}-byte read from /dev/fuse: shorter than the request header", length);
            return -1;
        }
        InHeader h = x.begin(length);
        if (h.len() != length) {
            log.warn("request {} ({}): header says {} bytes, read {}", h.unique(), Opcode.name(h.opcode()), h.len(), length);
            return x.finish(h.unique(), -EIO, 0);
        }
        return run(x, h);
    }

    /**
     * Runs the request the kernel delivered into an io_uring entry ({@code entry}: header page at 0, payload at
     * {@code payloadAt}) and puts the reply into the entry for COMMIT_AND_FETCH.
     */
    public void dispatchRing(Exchange x, ByteBuffer entry, ByteBuffer entryReadOnly, long entryAddress, int payloadAt,
                             int payloadCapacity, int payloadSize, int payloadSizeAt) {
        InHeader h = x.beginRing(entry, entryReadOnly, entryAddress, payloadAt, payloadCapacity, payloadSize);
        int total;
        if (h == null) {
            long unique = entry.getLong(8);
            log.warn("request {} on the ring: header says {} bytes with a {}-byte payload", unique, entry.getInt(0), payloadSize);
            total = x.finish(unique, -EIO, 0);
        } else {
            total = run(x, h);
        }
        x.finishRing(total, payloadSizeAt);
    }

    private int run(Exchange x, InHeader h) {
        long unique = h.unique();
        int opcode = h.opcode();
        Op op = opcode >= 0 && opcode < ops.length ? ops[opcode] : null;
        if (op == null) {
            log.debug("request {}: {} not implemented", unique, Opcode.name(opcode));
            return x.finish(unique, -ENOSYS, 0);
        }
        if (x.isRing() && control.interruptedBeforeStart(unique)) {
            x.request.interrupt(unique);
        }
        int result;
        if (x.bodyLength() < op.argSize) {
            log.warn("request {} ({}): body of {} bytes, its struct needs {}", unique, op.name, x.bodyLength(), op.argSize);
            result = -EINVAL;
        } else {
            x.argSize(op.argSize);
            try {
                result = op.handler.handle(x);
            } catch (RuntimeException | Error e) {
                log.error("request {} ({}) on node {} failed", unique, op.name, h.nodeId(), e);
                result = -EIO;
            }
        }
        if (log.isTraceEnabled()) {
            log.trace("{} unique={} node={} pid={} -> {}", op.name, unique, h.nodeId(), h.pid(), result);
        }
        if (result == NO_REPLY) {
            return -1;
        }
        return result < 0 ? x.finish(unique, result, 0) : x.finish(unique, 0, result);
    }

    /**
     * The connection ended: releases every file and directory the kernel did not release (an unmount with files open,
     * an abort), as RELEASE/RELEASEDIR from the kernel would, so the file system's {@code destroy} finds nothing open.
     */
    @SuppressWarnings("unchecked")
    public void releaseRemaining() {
        RequestContext nobody = new RequestContext();
        for (HandleTable.Leftover left : handles.drain()) {
            try {
                if (left.directory()) {
                    fs.releasedir(nobody, 0, (D) left.handle());
                } else {
                    fs.release(nobody, 0, (F) left.handle(), 0);
                }
            } catch (RuntimeException e) {
                log.warn("releasing a handle left open at the end of the connection failed", e);
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static Views v(Exchange x) {
        return x.views;
    }

    private static long node(Exchange x) {
        return x.header.nodeId();
    }

    @SuppressWarnings("unchecked")
    private F file(long fh) {
        return (F) handles.file(fh);
    }

    @SuppressWarnings("unchecked")
    private D directory(long fh) {
        return (D) handles.directory(fh);
    }

    private static boolean dataOnly(FsyncIn in) {
        return (in.fsyncFlags() & FuseConst.FSYNC_FDATASYNC) != 0;
    }

    /** A file system result, or the fixed reply size on success. */
    private static int reply(int result, int size) {
        return result < 0 ? result : size;
    }

    private static int entry(int result) {
        return reply(result, EntryOut.SIZE);
    }

    private interface NameHandler {
        int handle(NameView name);
    }

    private static int withName(Exchange x, int offset, NameHandler h) {
        NameView n = x.name(offset);
        return n == null ? badName(x) : h.handle(n);
    }

    private static int badName(Exchange x) {
        log.warn("request {} ({}): missing or unterminated name", x.header.unique(), Opcode.name(x.header.opcode()));
        return -EINVAL;
    }

    // ---- handlers that need more than one line -----------------------------------------------------------

    private int batchForget(Exchange x) {
        BatchForgetIn in = x.in(v(x).batchForgetIn);
        long count = Integer.toUnsignedLong(in.count());
        long fits = (x.bodyLength() - BatchForgetIn.SIZE) / 16;
        if (count > fits) {
            log.warn("BATCH_FORGET claims {} entries, body holds {}", count, fits);
            count = fits;
        }
        for (int i = 0; i < count; i++) {
            int at = BatchForgetIn.SIZE + 16 * i;
            fs.forget(x.bodyLong(at), x.bodyLong(at + 8));
        }
        return NO_REPLY;
    }

    private int getattr(Exchange x) {
        GetattrIn in = x.in(v(x).getattrIn);
        F f = null;
        if ((in.getattrFlags() & FuseConst.GETATTR_FH) != 0) {
            f = file(in.fh()); // an fh the kernel still names but we no longer know: answer for the node
        }
        return reply(fs.getattr(x.request, node(x), f, x.out(v(x).attrOut)), AttrOut.SIZE);
    }

    private int setattr(Exchange x) {
        SetattrIn in = x.in(v(x).setattrIn);
        F f = null;
        if (in.hasFh()) {
            f = file(in.fh());
            if (f == null && !handles.contains(in.fh(), false) && in.fh() != 0) {
                return -EBADF;
            }
        }
        return reply(fs.setattr(x.request, node(x), f, in, x.out(v(x).attrOut)), AttrOut.SIZE);
    }

    private int symlink(Exchange x) {
        NameView name = x.name(0);
        if (name == null) {
            return badName(x);
        }
        NameView target = x.secondName(Exchange.nameEnd(name, 0));
        if (target == null) {
            return badName(x);
        }
        return entry(fs.symlink(x.request, node(x), name, target, x.out(v(x).entryOut)));
    }

    private int rename(Exchange x, long newDir, int flags, int namesAt) {
        NameView oldName = x.name(namesAt);
        if (oldName == null) {
            return badName(x);
        }
        NameView newName = x.secondName(Exchange.nameEnd(oldName, namesAt));
        if (newName == null) {
            return badName(x);
        }
        return reply(fs.rename(x.request, node(x), oldName, newDir, newName, flags), 0);
    }

    @SuppressWarnings("unchecked")
    private <H> io.arbiterfs.fuse.OpenReply<H> typedOpen(Exchange x) {
        return (io.arbiterfs.fuse.OpenReply<H>) (Object) x.open.clear();
    }

    /** OPEN / OPENDIR: the file system fills the open slot; a handle it gave becomes an fh. */
    private int open(Exchange x, boolean directory) {
        OpenIn in = x.in(v(x).openIn);
        int rc = directory ? fs.opendir(x.request, node(x), in, typedOpen(x)) : fs.open(x.request, node(x), in, typedOpen(x));
        if (rc < 0) {
            return rc;
        }
        encodeOpen(x, x.out(v(x).openOut), directory);
        return OpenOut.SIZE;
    }

    /** CREATE / TMPFILE: an entry and an open in one reply. */
    private int createLike(Exchange x, int rc) {
        if (rc < 0) {
            return rc;
        }
        encodeOpen(x, x.out(v(x).openOut, EntryOut.SIZE), false);
        return EntryOut.SIZE + OpenOut.SIZE;
    }

    private void encodeOpen(Exchange x, OpenOut out, boolean directory) {
        OpenSlot slot = x.open;
        Object h = slot.handle();
        out.fh(h == null ? 0 : handles.add(h, directory)).openFlags(slot.openFlags()).backingId(slot.backingId());
    }

    private int release(Exchange x) {
        ReleaseIn in = x.in(v(x).releaseIn);
        F f = file(in.fh());
        if (f == null && in.fh() != 0) {
            return -EBADF;
        }
        try {
            return reply(fs.release(x.request, node(x), f, in.flags()), 0);
        } finally {
            handles.remove(in.fh(), false);
        }
    }

    private int releasedir(Exchange x) {
        ReleaseIn in = x.in(v(x).releaseIn);
        D d = directory(in.fh());
        if (d == null && in.fh() != 0) {
            return -EBADF;
        }
        try {
            return reply(fs.releasedir(x.request, node(x), d), 0);
        } finally {
            handles.remove(in.fh(), true);
        }
    }

    private int read(Exchange x) {
        ReadIn in = x.in(v(x).readIn);
        F f = file(in.fh());
        if (f == null && in.fh() != 0) {
            return -EBADF;
        }
        return fs.read(x.request, node(x), f, in.offset(), in.size(), x.payload(0, in.size()));
    }

    private int write(Exchange x) {
        WriteIn in = x.in(v(x).writeIn);
        long size = Integer.toUnsignedLong(in.size());
        if (size > x.bodyLength() - WriteIn.SIZE) {
            log.warn("WRITE {} claims {} bytes, carries {}", x.header.unique(), size, x.bodyLength() - WriteIn.SIZE);
            return -EINVAL;
        }
        F f = file(in.fh());
        if (f == null && in.fh() != 0) {
            return -EBADF;
        }
        int written = fs.write(x.request, node(x), f, in, x.data(WriteIn.SIZE, (int) size));
        if (written < 0) {
            return written;
        }
        x.out(v(x).writeOut).size(written);
        return WriteOut.SIZE;
    }

    private int setxattr(Exchange x) {
        SetxattrIn in = x.in(v(x).setxattrIn);
        NameView name = x.name(SetxattrIn.SIZE);
        if (name == null) {
            return badName(x);
        }
        int valueAt = Exchange.nameEnd(name, SetxattrIn.SIZE);
        long size = Integer.toUnsignedLong(in.size());
        if (size > x.bodyLength() - valueAt) {
            log.warn("SETXATTR {} claims a {}-byte value, carries {}", x.header.unique(), size, x.bodyLength() - valueAt);
            return -EINVAL;
        }
        return reply(fs.setxattr(x.request, node(x), name, x.data(valueAt, (int) size), in.flags()), 0);
    }

    /** GETXATTR/LISTXATTR: a size-0 probe is answered with fuse_getxattr_out, otherwise with the bytes. */
    private static int sizedAnswer(Exchange x, int askedSize, int result) {
        if (result < 0 || askedSize != 0) {
            return result;
        }
        x.out(v(x).getxattrOut).size(result);
        return GetxattrOut.SIZE;
    }

    private int readdir(Exchange x, boolean plus) {
        ReadIn in = x.in(v(x).readIn);
        D d = directory(in.fh());
        if (d == null && in.fh() != 0) {
            return -EBADF;
        }
        DirentSink sink = x.dirents(in.size(), plus);
        int r = fs.readdir(x.request, node(x), d, in.offset(), sink);
        return r < 0 ? r : sink.length();
    }

    private int setlk(Exchange x, boolean wait) {
        LkIn in = x.in(v(x).lkIn);
        F f = file(in.fh());
        if (f == null && in.fh() != 0) {
            return -EBADF;
        }
        return reply(fs.setlk(x.request, node(x), f, in, wait), 0);
    }

    private int lseek(Exchange x) {
        LseekIn in = x.in(v(x).lseekIn);
        F f = file(in.fh());
        if (f == null && in.fh() != 0) {
            return -EBADF;
        }
        long r = fs.lseek(x.request, node(x), f, in.offset(), in.whence());
        if (r < 0) {
            return (int) Math.max(r, Integer.MIN_VALUE + 1);
        }
        x.out(v(x).lseekOut).offset(r);
        return LseekOut.SIZE;
    }

    private int copyFileRange(Exchange x, boolean wide) {
        CopyFileRangeIn in = x.in(v(x).copyFileRangeIn);
        F src = file(in.fhIn());
        F dst = file(in.fhOut());
        if ((src == null && in.fhIn() != 0) || (dst == null && in.fhOut() != 0)) {
            return -EBADF;
        }
        long r = fs.copyFileRange(x.request, node(x), src, in.offIn(), in.nodeIdOut(), dst, in.offOut(), in.len(),
                (int) in.flags());
        if (r < 0) {
            return (int) Math.max(r, Integer.MIN_VALUE + 1);
        }
        if (wide) {
            x.out(v(x).copyFileRangeOut).bytesCopied(r);
            return CopyFileRangeOut.SIZE;
        }
        x.out(v(x).writeOut).size((int) Math.min(r, 0xFFFF_FFFFL));
        return WriteOut.SIZE;
    }
}
