package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.internal.abi.Struct;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;

/**
 * One request thread's request and reply memory with the views over them. Nothing here allocates per request.
 *
 * <p>A request is an in-header, the opcode's fixed struct ("arg") and the rest (names, data). On /dev/fuse they
 * are read contiguously into the request buffer; a handler addresses the body (arg and rest together) by offsets
 * from its start and never needs to know where the parts lie. The reply is an out-header and a body, written into
 * the reply buffer.
 */
public final class Exchange {
    /** Room for the in-header and the largest fixed request struct ahead of a WRITE payload. */
    public static final int REQUEST_HEADROOM = 4096;

    final ByteBuffer in;
    final ByteBuffer inReadOnly;
    final long inAddress;
    final ByteBuffer out;
    final long outAddress;
    final InHeader header = new InHeader();
    final OutHeader outHeader = new OutHeader();
    final RequestContext request = new RequestContext();
    final Views views = new Views();
    final NameView name1 = new NameView();
    final NameView name2 = new NameView();
    final Bytes data = new Bytes();
    final Bytes reply = new Bytes();
    final DirentSink dirents = new DirentSink();
    final OpenSlot open = new OpenSlot();

    /** Where the fixed struct starts, how long it is, where the rest starts and ends (all in {@link #in}). */
    private int argAt;
    private int argSize;
    private int restAt;
    private int restEnd;

    public Exchange(int maxWrite) {
        // page-aligned so payloads handed to the backing file start on a page boundary
        in = Native.alignedBuffer(REQUEST_HEADROOM + maxWrite, 4096);
        inReadOnly = in.asReadOnlyBuffer().order(in.order());
        inAddress = Native.address(in);
        out = Native.alignedBuffer(OutHeader.SIZE + Math.max(maxWrite, 64 * 1024), 4096);
        outAddress = Native.address(out);
    }

    public long requestAddress() {
        return inAddress;
    }

    public int requestCapacity() {
        return in.capacity();
    }

    public ByteBuffer requestBuffer() {
        return in;
    }

    public long replyAddress() {
        return outAddress;
    }

    /** The request being carried (for the session's interrupt handling). */
    public RequestContext request() {
        return request;
    }

    /** Binds the header of a request of {@code length} bytes read contiguously into the request buffer. */
    InHeader begin(int length) {
        header.wrap(in, 0);
        int ext = header.totalExtlen() * 8;
        argAt = InHeader.SIZE;
        argSize = 0;
        restAt = argAt;
        restEnd = Math.max(argAt, Math.min(length, (int) Math.min(header.len(), Integer.MAX_VALUE)) - ext);
        request.set(header.unique(), header.nodeId(), header.uid(), header.gid(), header.pid());
        return header;
    }

    /** The opcode's fixed struct is {@code size} bytes: names and data follow it. Called once the opcode is known. */
    void argSize(int size) {
        argSize = Math.min(size, restEnd - argAt);
        restAt = argAt + argSize;
    }

    public InHeader header() {
        return header;
    }

    /** Bytes of request body after the in-header: the fixed struct and the rest, extensions excluded. */
    public int bodyLength() {
        return argSize + (restEnd - restAt);
    }

    /** Buffer offset of body offset {@code offset}. */
    private int at(int offset) {
        return offset < argSize ? argAt + offset : restAt + (offset - argSize);
    }

    /** The request struct at the start of the body. The table has checked the body is long enough. */
    <T extends Struct<T>> T in(T view) {
        return view.wrap(in, argAt);
    }

    /** A 64-bit value at body offset {@code offset} (BATCH_FORGET's entries). */
    long bodyLong(int offset) {
        return in.getLong(at(offset));
    }

    /** The read-only bytes at body offset {@code offset}: a WRITE's data, a SETXATTR value. */
    Bytes data(int offset, int length) {
        int from = at(offset);
        return data.set(in, inReadOnly, inAddress, from, length);
    }

    /** The NUL-terminated name at body offset {@code offset}, or null if it runs past the body or is empty. */
    NameView name(int offset) {
        return parseName(name1, offset);
    }

    /** A second name (RENAME's new name, SYMLINK's target). */
    NameView secondName(int offset) {
        return parseName(name2, offset);
    }

    /** Body offset just past a name parsed at {@code offset}. */
    static int nameEnd(NameView n, int offset) {
        return offset + n.length() + 1;
    }

    private NameView parseName(NameView target, int offset) {
        if (offset < argSize) {
            return null; // names never overlap the fixed struct
        }
        int from = at(offset);
        for (int i = from; i < restEnd; i++) {
            if (in.get(i) == 0) {
                return i == from ? null : target.set(in, inReadOnly, inAddress, from, i - from);
            }
        }
        return null;
    }

    /** A reply struct right after the out-header, zeroed. */
    <T extends Struct<T>> T out(T view) {
        return view.wrap(out, OutHeader.SIZE).clear();
    }

    /** A reply struct at {@code offset} bytes into the reply body, zeroed. */
    <T extends Struct<T>> T out(T view, int offset) {
        return view.wrap(out, OutHeader.SIZE + offset).clear();
    }

    /** Room for up to {@code max} payload bytes at {@code offset} into the reply body. */
    Bytes payload(int offset, int max) {
        int room = out.capacity() - OutHeader.SIZE - offset;
        return reply.set(out, out, outAddress, OutHeader.SIZE + offset, Math.max(0, Math.min(max, room)));
    }

    DirentSink dirents(int max, boolean plus) {
        int room = out.capacity() - OutHeader.SIZE;
        return dirents.reset(out, OutHeader.SIZE, Math.max(0, Math.min(max, room)), plus);
    }

    /** The INIT reply struct, zeroed. */
    public io.arbiterfs.fuse.internal.abi.InitOut initReply() {
        return out(views.initOut);
    }

    /** Fills the out-header for a reply with {@code bodyLength} bytes, or an error. Returns the total length. */
    int finish(long unique, int error, int bodyLength) {
        int total = OutHeader.SIZE + (error == 0 ? bodyLength : 0);
        outHeader.wrap(out, 0).len(total).error(error).unique(unique);
        return total;
    }
}
