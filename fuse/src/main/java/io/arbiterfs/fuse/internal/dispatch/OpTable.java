package io.arbiterfs.fuse.internal.dispatch;

import static io.arbiterfs.fuse.platform.Errno.EINVAL;
import static io.arbiterfs.fuse.platform.Errno.EIO;
import static io.arbiterfs.fuse.platform.Errno.ENOSYS;

import io.arbiterfs.fuse.DirentSink;
import io.arbiterfs.fuse.FuseFileSystem;
import io.arbiterfs.fuse.Name;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch table: for each opcode, the fixed request struct it needs and the handler that
 * decodes it, calls the file system and encodes the reply. Unknown opcodes answer ENOSYS; a request
 * too short for its struct or with a bad name answers EINVAL; nothing a request contains can throw
 * out of {@link #dispatch}.
 */
public final class OpTable {
    private static final Logger log = LoggerFactory.getLogger(OpTable.class);

    /** A handler's answer when the opcode takes no reply (FORGET, BATCH_FORGET, INTERRUPT). */
    public static final int NO_REPLY = Integer.MIN_VALUE;
    private static final int PATH_MAX = 4096;

    /** Decodes one request from the exchange; returns the reply body length, -errno, or {@link #NO_REPLY}. */
    @FunctionalInterface
    public interface Handler {
        int handle(Exchange x);
    }

    /** Session-level requests that are not the file system's business. */
    public interface Control {
        int init(Exchange x, InitIn in);

        /** FUSE_INTERRUPT for request {@code unique}; returns 0, or -EAGAIN if it is not (yet) running. */
        int interrupt(long unique);

        void destroy();
    }

    private record Op(String name, int minBody, Handler handler) {}

    private final Op[] ops = new Op[Opcode.LIMIT];
    private final FuseFileSystem fs;

    public OpTable(FuseFileSystem fs, Control control) {
        this.fs = fs;
        // Views are per worker: each handler takes them from the exchange's thread-confined holder.
        op(Opcode.INIT, 16, x -> control.init(x, x.in(v(x).initIn))); // pre-7.36 kernels send 16 bytes
        op(Opcode.DESTROY, 0, x -> {
            control.destroy();
            return 0;
        });
        op(Opcode.INTERRUPT, InterruptIn.SIZE, x -> {
            int r = control.interrupt(x.in(v(x).interruptIn).unique());
            return r == 0 ? NO_REPLY : r;
        });
        op(Opcode.LOOKUP, 0, this::lookup);
        op(Opcode.FORGET, ForgetIn.SIZE, x -> {
            fs.forget(x.header().nodeId(), x.in(v(x).forgetIn).nlookup());
            return NO_REPLY;
        });
        op(Opcode.BATCH_FORGET, BatchForgetIn.SIZE, this::batchForget);
        op(Opcode.GETATTR, GetattrIn.SIZE, x -> reply(fs.getattr(x.request, node(x), x.in(v(x).getattrIn), x.out(v(x).attrOut)), AttrOut.SIZE));
        op(Opcode.SETATTR, SetattrIn.SIZE, x -> reply(fs.setattr(x.request, node(x), x.in(v(x).setattrIn), x.out(v(x).attrOut)), AttrOut.SIZE));
        op(Opcode.READLINK, 0, x -> fs.readlink(x.request, node(x), x.payload(0, PATH_MAX)));
        op(Opcode.SYMLINK, 0, this::symlink);
        op(Opcode.MKNOD, MknodIn.SIZE, this::mknod);
        op(Opcode.MKDIR, MkdirIn.SIZE, this::mkdir);
        op(Opcode.UNLINK, 0, x -> withName(x, 0, n -> fs.unlink(x.request, node(x), n)));
        op(Opcode.RMDIR, 0, x -> withName(x, 0, n -> fs.rmdir(x.request, node(x), n)));
        op(Opcode.RENAME, RenameIn.SIZE, x -> rename(x, x.in(v(x).renameIn).newDir(), 0, RenameIn.SIZE));
        op(Opcode.RENAME2, Rename2In.SIZE, x -> {
            Rename2In in = x.in(v(x).rename2In);
            return rename(x, in.newDir(), in.flags(), Rename2In.SIZE);
        });
        op(Opcode.LINK, LinkIn.SIZE, this::link);
        op(Opcode.OPEN, OpenIn.SIZE, x -> reply(fs.open(x.request, node(x), x.in(v(x).openIn), x.out(v(x).openOut)), OpenOut.SIZE));
        op(Opcode.CREATE, CreateIn.SIZE, this::create);
        op(Opcode.READ, ReadIn.SIZE, x -> {
            ReadIn in = x.in(v(x).readIn);
            return fs.read(x.request, node(x), in, x.payload(0, in.size()));
        });
        op(Opcode.WRITE, WriteIn.SIZE, this::write);
        op(Opcode.STATFS, 0, x -> reply(fs.statfs(x.request, node(x), x.out(v(x).statfsOut)), StatfsOut.SIZE));
        op(Opcode.RELEASE, ReleaseIn.SIZE, x -> reply(fs.release(x.request, node(x), x.in(v(x).releaseIn)), 0));
        op(Opcode.FLUSH, FlushIn.SIZE, x -> reply(fs.flush(x.request, node(x), x.in(v(x).flushIn)), 0));
        op(Opcode.FSYNC, FsyncIn.SIZE, x -> reply(fs.fsync(x.request, node(x), x.in(v(x).fsyncIn)), 0));
        op(Opcode.SETXATTR, SetxattrIn.SIZE, this::setxattr);
        op(Opcode.GETXATTR, GetxattrIn.SIZE, this::getxattr);
        op(Opcode.LISTXATTR, GetxattrIn.SIZE, this::listxattr);
        op(Opcode.REMOVEXATTR, 0, x -> withName(x, 0, n -> fs.removexattr(x.request, node(x), n)));
        op(Opcode.OPENDIR, OpenIn.SIZE, x -> reply(fs.opendir(x.request, node(x), x.in(v(x).openIn), x.out(v(x).openOut)), OpenOut.SIZE));
        op(Opcode.READDIR, ReadIn.SIZE, x -> readdir(x, false));
        op(Opcode.READDIRPLUS, ReadIn.SIZE, x -> readdir(x, true));
        op(Opcode.RELEASEDIR, ReleaseIn.SIZE, x -> reply(fs.releasedir(x.request, node(x), x.in(v(x).releaseIn)), 0));
        op(Opcode.FSYNCDIR, FsyncIn.SIZE, x -> reply(fs.fsyncdir(x.request, node(x), x.in(v(x).fsyncIn)), 0));
        op(Opcode.GETLK, LkIn.SIZE, x -> reply(fs.getlk(x.request, node(x), x.in(v(x).lkIn), x.out(v(x).lkOut)), LkOut.SIZE));
        op(Opcode.SETLK, LkIn.SIZE, x -> reply(fs.setlk(x.request, node(x), x.in(v(x).lkIn), false), 0));
        op(Opcode.SETLKW, LkIn.SIZE, x -> reply(fs.setlk(x.request, node(x), x.in(v(x).lkIn), true), 0));
        op(Opcode.ACCESS, AccessIn.SIZE, x -> reply(fs.access(x.request, node(x), x.in(v(x).accessIn).mask()), 0));
        op(Opcode.FALLOCATE, FallocateIn.SIZE, x -> reply(fs.fallocate(x.request, node(x), x.in(v(x).fallocateIn)), 0));
        op(Opcode.LSEEK, LseekIn.SIZE, this::lseek);
        op(Opcode.COPY_FILE_RANGE, CopyFileRangeIn.SIZE, x -> copyFileRange(x, false));
        op(Opcode.COPY_FILE_RANGE_64, CopyFileRangeIn.SIZE, x -> copyFileRange(x, true));
        op(Opcode.SYNCFS, 0, x -> reply(fs.syncfs(x.request, node(x)), 0));
    }

    private void op(int opcode, int minBody, Handler handler) {
        ops[opcode] = new Op(Opcode.name(opcode), minBody, handler);
    }

    /** Whether the table has a handler for {@code opcode} (anything else answers ENOSYS). */
    public boolean handles(int opcode) {
        return opcode >= 0 && opcode < ops.length && ops[opcode] != null;
    }

    /**
     * Decodes the request of {@code length} bytes in the exchange's request buffer, runs it and
     * encodes the reply in the reply buffer.
     *
     * @return the reply's total length, or -1 if nothing is to be sent
     */
    public int dispatch(Exchange x, int length) {
        if (length < InHeader.SIZE) {
            log.warn("dropping a {}-byte read from /dev/fuse: shorter than the request header", length);
            return -1;
        }
        InHeader h = x.begin(length);
        long unique = h.unique();
        int opcode = h.opcode();
        if (h.len() != length) {
            log.warn("request {} ({}): header says {} bytes, read {}", unique, Opcode.name(opcode), h.len(), length);
            return x.finish(unique, -EIO, 0);
        }
        Op op = opcode >= 0 && opcode < ops.length ? ops[opcode] : null;
        if (op == null) {
            log.debug("request {}: {} not implemented", unique, Opcode.name(opcode));
            return x.finish(unique, -ENOSYS, 0);
        }
        int result;
        if (x.bodyLength() < op.minBody) {
            log.warn("request {} ({}): body of {} bytes, its struct needs {}", unique, op.name, x.bodyLength(), op.minBody);
            result = -EINVAL;
        } else {
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

    // ---- handlers that need more than one line ----

    private static Views v(Exchange x) {
        return Views.of(x);
    }

    private static long node(Exchange x) {
        return x.header().nodeId();
    }

    /** A file system result, or the fixed reply size on success. */
    private static int reply(int result, int size) {
        return result < 0 ? result : size;
    }

    private interface NameHandler {
        int handle(Name name);
    }

    private static int withName(Exchange x, int offset, NameHandler h) {
        Name n = x.name(offset);
        return n == null ? badName(x) : h.handle(n);
    }

    private static int badName(Exchange x) {
        log.warn("request {} ({}): missing or unterminated name", x.header().unique(), Opcode.name(x.header().opcode()));
        return -EINVAL;
    }

    private int lookup(Exchange x) {
        return withName(x, 0, n -> reply(fs.lookup(x.request, node(x), n, x.out(v(x).entryOut)), EntryOut.SIZE));
    }

    private int batchForget(Exchange x) {
        BatchForgetIn in = x.in(v(x).batchForgetIn);
        long count = Integer.toUnsignedLong(in.count());
        long fits = (x.bodyLength() - BatchForgetIn.SIZE) / 16;
        if (count > fits) {
            log.warn("BATCH_FORGET claims {} entries, body holds {}", count, fits);
            count = fits;
        }
        var body = x.requestBuffer();
        int base = InHeader.SIZE + BatchForgetIn.SIZE;
        for (int i = 0; i < count; i++) {
            fs.forget(body.getLong(base + 16 * i), body.getLong(base + 16 * i + 8));
        }
        return NO_REPLY;
    }

    private int symlink(Exchange x) {
        Name name = x.name(0);
        if (name == null) {
            return badName(x);
        }
        Name target = x.secondName(Exchange.nameEnd(name, 0));
        if (target == null) {
            return badName(x);
        }
        return reply(fs.symlink(x.request, node(x), name, target, x.out(v(x).entryOut)), EntryOut.SIZE);
    }

    private int mknod(Exchange x) {
        MknodIn in = x.in(v(x).mknodIn);
        return withName(x, MknodIn.SIZE, n -> reply(fs.mknod(x.request, node(x), n, in, x.out(v(x).entryOut)), EntryOut.SIZE));
    }

    private int mkdir(Exchange x) {
        MkdirIn in = x.in(v(x).mkdirIn);
        return withName(x, MkdirIn.SIZE, n -> reply(fs.mkdir(x.request, node(x), n, in, x.out(v(x).entryOut)), EntryOut.SIZE));
    }

    private int rename(Exchange x, long newDir, int flags, int namesAt) {
        Name oldName = x.name(namesAt);
        if (oldName == null) {
            return badName(x);
        }
        Name newName = x.secondName(Exchange.nameEnd(oldName, namesAt));
        if (newName == null) {
            return badName(x);
        }
        return reply(fs.rename(x.request, node(x), oldName, newDir, newName, flags), 0);
    }

    private int link(Exchange x) {
        long oldNode = x.in(v(x).linkIn).oldNodeId();
        return withName(x, LinkIn.SIZE, n -> reply(fs.link(x.request, oldNode, node(x), n, x.out(v(x).entryOut)), EntryOut.SIZE));
    }

    private int create(Exchange x) {
        CreateIn in = x.in(v(x).createIn);
        return withName(x, CreateIn.SIZE, n -> {
            EntryOut entry = x.out(v(x).entryOut);
            OpenOut open = x.out(v(x).openOut, EntryOut.SIZE);
            return reply(fs.create(x.request, node(x), n, in, entry, open), EntryOut.SIZE + OpenOut.SIZE);
        });
    }

    private int write(Exchange x) {
        WriteIn in = x.in(v(x).writeIn);
        long size = Integer.toUnsignedLong(in.size());
        if (size > x.bodyLength() - WriteIn.SIZE) {
            log.warn("WRITE {} claims {} bytes, carries {}", x.header().unique(), size, x.bodyLength() - WriteIn.SIZE);
            return -EINVAL;
        }
        int written = fs.write(x.request, node(x), in, x.bodyAddress(WriteIn.SIZE));
        if (written < 0) {
            return written;
        }
        x.out(v(x).writeOut).size(written);
        return WriteOut.SIZE;
    }

    private int setxattr(Exchange x) {
        SetxattrIn in = x.in(v(x).setxattrIn);
        Name name = x.name(SetxattrIn.SIZE);
        if (name == null) {
            return badName(x);
        }
        int valueAt = Exchange.nameEnd(name, SetxattrIn.SIZE);
        long size = Integer.toUnsignedLong(in.size());
        if (size > x.bodyLength() - valueAt) {
            log.warn("SETXATTR {} claims a {}-byte value, carries {}", x.header().unique(), size, x.bodyLength() - valueAt);
            return -EINVAL;
        }
        return reply(fs.setxattr(x.request, node(x), name, x.bodyAddress(valueAt), (int) size, in.flags()), 0);
    }

    private int getxattr(Exchange x) {
        int size = x.in(v(x).getxattrIn).size();
        return withName(x, GetxattrIn.SIZE, n -> sizedAnswer(x, size, fs.getxattr(x.request, node(x), n, size, x.payload(0, size))));
    }

    private int listxattr(Exchange x) {
        int size = x.in(v(x).getxattrIn).size();
        return sizedAnswer(x, size, fs.listxattr(x.request, node(x), size, x.payload(0, size)));
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
        DirentSink sink = x.dirents(in.size(), plus);
        int r = fs.readdir(x.request, node(x), in, sink);
        return r < 0 ? r : sink.length();
    }

    private int lseek(Exchange x) {
        long r = fs.lseek(x.request, node(x), x.in(v(x).lseekIn));
        if (r < 0) {
            return (int) r;
        }
        x.out(v(x).lseekOut).offset(r);
        return LseekOut.SIZE;
    }

    private int copyFileRange(Exchange x, boolean wide) {
        long r = fs.copyFileRange(x.request, node(x), x.in(v(x).copyFileRangeIn));
        if (r < 0) {
            return (int) r;
        }
        if (wide) {
            x.out(v(x).copyFileRangeOut).bytesCopied(r);
            return CopyFileRangeOut.SIZE;
        }
        x.out(v(x).writeOut).size((int) Math.min(r, 0xFFFF_FFFFL));
        return WriteOut.SIZE;
    }
}
