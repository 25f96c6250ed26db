package io.arbiterfs.fuse.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.NoSession;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;
import org.slf4j.LoggerFactory;

/**
 * Feeds one fuzz input to {@link OpTable#dispatch} over a fresh {@link MemoryFs} and checks what
 * must hold for any input: a reply within the reply buffer, with the request's unique id and a
 * sane errno, or no reply only where the protocol wants none or with a log line saying why; and no
 * exception inside a handler (the table turns those into EIO and logs an ERROR, which counts here).
 *
 * <p>An input is a sequence of requests, each {@code mode, opcode, node, u16 length, body}; the
 * mode chooses a well-formed header, a lying length field, a truncated read or raw bytes. Inputs
 * are self-contained (fresh file system each time), so a finding replays exactly.
 */
final class DispatchHarness {
    static final int MAX_WRITE = 128 << 10;
    static final int REPLY_CAPACITY = OutHeader.SIZE + Math.max(MAX_WRITE, 64 * 1024);
    private static final int MAX_REQUESTS = 32;
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getSystemRuntime();

    /** The opcodes the table handles, plus a few it does not; structured inputs pick from these. */
    private static final int[] OPCODES = {
        Opcode.LOOKUP, Opcode.FORGET, Opcode.GETATTR, Opcode.SETATTR, Opcode.READLINK, Opcode.SYMLINK,
        Opcode.MKNOD, Opcode.MKDIR, Opcode.UNLINK, Opcode.RMDIR, Opcode.RENAME, Opcode.LINK, Opcode.OPEN,
        Opcode.READ, Opcode.WRITE, Opcode.STATFS, Opcode.RELEASE, Opcode.FSYNC, Opcode.SETXATTR,
        Opcode.GETXATTR, Opcode.LISTXATTR, Opcode.REMOVEXATTR, Opcode.FLUSH, Opcode.INIT, Opcode.OPENDIR,
        Opcode.READDIR, Opcode.RELEASEDIR, Opcode.FSYNCDIR, Opcode.GETLK, Opcode.SETLK, Opcode.SETLKW,
        Opcode.ACCESS, Opcode.CREATE, Opcode.INTERRUPT, Opcode.BMAP, Opcode.DESTROY, Opcode.IOCTL,
        Opcode.POLL, Opcode.BATCH_FORGET, Opcode.FALLOCATE, Opcode.READDIRPLUS, Opcode.RENAME2,
        Opcode.LSEEK, Opcode.COPY_FILE_RANGE, Opcode.SYNCFS, Opcode.COPY_FILE_RANGE_64, Opcode.TMPFILE, 0, 4095, -1,
    };

    /** Log lines of the dispatch table, kept instead of printed (a fuzz run sends millions). */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        int lines;
        final List<String> errors = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            lines++;
            if (e.getLevel().isGreaterOrEqual(Level.ERROR) && errors.size() < 10) {
                errors.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : ": " + e.getThrowableProxy().getClassName() + " " + e.getThrowableProxy().getMessage()));
            }
        }
    }

    private final Exchange x = new Exchange(MAX_WRITE);
    private final ByteBuffer in = x.requestBuffer().order(ByteOrder.LITTLE_ENDIAN);
    private final Pointer reply = Pointer.wrap(RUNTIME, x.replyAddress());
    private final Capture capture = new Capture();
    private MemoryFs fs;
    private int dirty;
    private long executions;

    DispatchHarness() {
        Logger table = (Logger) LoggerFactory.getLogger(OpTable.class);
        capture.setContext(table.getLoggerContext());
        capture.start();
        table.detachAndStopAllAppenders();
        table.addAppender(capture);
        table.setAdditive(false);
        table.setLevel(Level.WARN); // what production logs: every dropped request leaves a line
    }

    long executions() {
        return executions;
    }

    MemoryFs fs() {
        return fs;
    }

    /** Runs one input; throws AssertionError on any violated invariant. */
    void run(byte[] data) {
        fs = new MemoryFs();
        OpTable<?, ?> table = new OpTable<>(fs, new NoSession());
        ByteBuffer input = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < MAX_REQUESTS && input.remaining() >= 5; r++) {
            one(table, input, r + 1);
        }
        executions++;
    }

    private void one(OpTable<?, ?> table, ByteBuffer input, long unique) {
        int mode = input.get() & 0xff;
        int opByte = input.get() & 0xff;
        int nodeByte = input.get() & 0xff;
        int bodyLen = Math.min(input.getShort() & 0xffff, input.remaining());
        int opcode = opByte < 200 ? OPCODES[opByte % OPCODES.length] : opByte * 17;
        long node = nodeByte < 128 ? 1 + nodeByte % 16 : nodeByte < 250 ? nodeByte : -1L - nodeByte;
        int capacity = x.requestCapacity();
        int length;
        for (int i = 0; i < dirty; i++) {
            in.put(i, (byte) 0); // nothing from the previous request may leak into this one
        }
        if (mode % 4 == 3) {
            // raw bytes, header included, exactly as read from /dev/fuse
            length = Math.min(bodyLen, capacity);
            for (int i = 0; i < length; i++) {
                in.put(i, input.get());
            }
            dirty = length;
        } else {
            length = Math.min(InHeader.SIZE + bodyLen, capacity);
            for (int i = InHeader.SIZE; i < length; i++) {
                in.put(i, input.get());
            }
            // mode 1: a header length and extension length (total_extlen) that lie about the body
            int declared = mode % 4 == 1 ? length ^ (mode << 4) : length;
            int extlen = mode % 4 == 1 ? (mode >> 2) & 7 : 0;
            in.putInt(0, declared).putInt(4, opcode).putLong(8, unique).putLong(16, node)
                    .putInt(24, 1000).putInt(28, 1000).putInt(32, 4242).putShort(36, (short) extlen);
            dirty = length;
            if (mode % 4 == 2) {
                length = Math.min(length, mode >> 2); // a short read: fewer bytes than the header says
            }
        }
        check(table, length);
    }

    private void check(OpTable<?, ?> table, int length) {
        long unique = length >= 16 ? in.getLong(8) : -1;
        int opcode = length >= 8 ? in.getInt(4) : -1;
        int linesBefore = capture.lines;
        int r = table.dispatch(x, length);
        if (!capture.errors.isEmpty()) {
            String e = capture.errors.toString();
            capture.errors.clear();
            throw new AssertionError("a handler threw on " + Opcode.name(opcode) + ": " + e);
        }
        if (r == -1) {
            boolean noReplyOp = opcode == Opcode.FORGET || opcode == Opcode.BATCH_FORGET;
            if (!(length < InHeader.SIZE && capture.lines > linesBefore) && !noReplyOp) {
                throw new AssertionError("request of " + length + " bytes, " + Opcode.name(opcode)
                        + ": neither answered nor logged");
            }
            return;
        }
        if (r < OutHeader.SIZE || r > REPLY_CAPACITY) {
            throw new AssertionError(Opcode.name(opcode) + ": reply of " + r + " bytes (buffer " + REPLY_CAPACITY + ")");
        }
        int len = reply.getInt(0);
        int error = reply.getInt(4);
        long replyUnique = reply.getLong(8);
        if (len != r || replyUnique != unique) {
            throw new AssertionError(Opcode.name(opcode) + ": header len " + len + "/" + r + ", unique " + replyUnique + "/" + unique);
        }
        if (error > 0 || error <= -4096 || (error != 0 && r != OutHeader.SIZE)) {
            throw new AssertionError(Opcode.name(opcode) + ": error " + error + " with a " + r + "-byte reply");
        }
    }
}
