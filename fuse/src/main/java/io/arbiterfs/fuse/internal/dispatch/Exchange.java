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
 * are read contiguously into the request buffer. On an io_uring entry the in-header is at 0 of the entry's header
 * page, the struct at 128 (op_in) and the rest in the payload behind that page ({@link #beginRing}). A handler
 * addresses the body (arg and rest together) by offsets from its start and never needs to know where the parts lie.
 *
 * <p>The reply is an out-header and a body. On /dev/fuse both go into the reply buffer. On an entry the kernel reads
 * them from the entry itself, over the request: fixed reply structs are built in the reply buffer (they would
 * overwrite names the handler still reads) and copied at {@link #finishRing}, while variable data (READ, READDIR,
 * READLINK) goes straight into the entry's payload when the request has nothing there.
 */
public final class Exchange {
    /** Room for the in-header and the largest fixed request struct ahead of a WRITE payload. */
    public static final int REQUEST_HEADROOM = 4096;

    final ByteBuffer in;
    final ByteBuffer inReadOnly;
    final long inAddress;
    /** Where the current request is: {@link #in}, or a ring entry. */
    private ByteBuffer req;
    private ByteBuffer reqReadOnly;
    private long reqAddress;
    private boolean ring;
    private int ringPayloadCapacity;
    private boolean replyInPlace;
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
        this(REQUEST_HEADROOM + maxWrite, OutHeader.SIZE + Math.max(maxWrite, 64 * 1024));
    }

    private Exchange(int requestCapacity, int replyCapacity) {
        // page-aligned so payloads handed to the backing file start on a page boundary
        in = Native.alignedBuffer(requestCapacity, 4096);
        inReadOnly = in.asReadOnlyBuffer().order(in.order());
        inAddress = Native.address(in);
        out = Native.alignedBuffer(replyCapacity, 4096);
        outAddress = Native.address(out);
        req = in;
        reqReadOnly = inReadOnly;
        reqAddress = inAddress;
    }

    /**
     * An exchange for io_uring entries: requests come in the entries' own memory, so its request buffer only needs
     * room for the header; the reply buffer holds fixed replies and xattr values (at most 64 KiB).
     */
    public static Exchange forRing() {
        return new Exchange(4096, OutHeader.SIZE + 64 * 1024 + 4096);
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
        req = in;
        reqReadOnly = inReadOnly;
        reqAddress = inAddress;
        ring = false;
        header.wrap(in, 0);
        int ext = header.totalExtlen() * 8;
        argAt = InHeader.SIZE;
        argSize = 0;
        restAt = argAt;
        restEnd = Math.max(argAt, Math.min(length, (int) Math.min(header.len(), Integer.MAX_VALUE)) - ext);
        request.set(header.unique(), header.nodeId(), header.uid(), header.gid(), header.pid());
        return header;
    }

    /**
     * Binds a request delivered into an io_uring entry ({@code entry}: header page at 0, payload at
     * {@code payloadAt}, {@code payloadSize} bytes of it filled by the kernel).
     *
     * @return the header, or null if the entry's sizes do not add up (then nothing is bound)
     */
    public InHeader beginRing(ByteBuffer entry, ByteBuffer entryReadOnly, long entryAddress, int payloadAt,
                              int payloadCapacity, int payloadSize) {
        header.wrap(entry, 0);
        // in_header.len keeps its /dev/fuse meaning: header + first argument (in op_in) + the rest (in the payload)
        long arg0 = header.len() - InHeader.SIZE - (long) payloadSize;
        if (payloadSize < 0 || payloadSize > payloadCapacity || arg0 < 0 || arg0 > 128) {
            return null;
        }
        req = entry;
        reqReadOnly = entryReadOnly;
        reqAddress = entryAddress;
        ring = true;
        ringPayloadCapacity = payloadCapacity;
        replyInPlace = false;
        int ext = Math.min(header.totalExtlen() * 8, payloadSize);
        argAt = 128;
        ringArg0 = (int) arg0;
        argSize = (int) arg0; // until the opcode says how much of it its struct is
        restAt = payloadAt;
        restEnd = payloadAt + payloadSize - ext;
        request.set(header.unique(), header.nodeId(), header.uid(), header.gid(), header.pid());
        return header;
    }

    private int ringArg0;

    /** Whether the current request came from an io_uring entry. */
    boolean isRing() {
        return ring;
    }

    /** The opcode's fixed struct is {@code size} bytes: names and data follow it. Called once the opcode is known. */
    void argSize(int size) {
        if (ring) {
            argSize = Math.min(size, ringArg0); // the rest is in the payload whatever the struct's size
            return;
        }
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
        return view.wrap(req, argAt);
    }

    /** A 64-bit value at body offset {@code offset} (BATCH_FORGET's entries). */
    long bodyLong(int offset) {
        return req.getLong(at(offset));
    }

    /** The read-only bytes at body offset {@code offset}: a WRITE's data, a SETXATTR value. */
    Bytes data(int offset, int length) {
        int from = at(offset);
        return data.set(req, reqReadOnly, reqAddress, from, length);
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
            if (req.get(i) == 0) {
                return i == from ? null : target.set(req, reqReadOnly, reqAddress, from, i - from);
            }
        }
        return null;
    }

    /** A reply struct right after the out-header, zeroed. */
    <T extends Struct<T>> T out(T view) {
        replyInPlace = false;
        return view.wrap(out, OutHeader.SIZE).clear();
    }

    /** A reply struct at {@code offset} bytes into the reply body, zeroed. */
    <T extends Struct<T>> T out(T view, int offset) {
        replyInPlace = false;
        return view.wrap(out, OutHeader.SIZE + offset).clear();
    }

    /** Whether variable reply data can go straight into the ring entry: a request with nothing in its payload. */
    private boolean inPlace() {
        return ring && restEnd == restAt;
    }

    /** Room for up to {@code max} payload bytes at {@code offset} into the reply body. */
    Bytes payload(int offset, int max) {
        if (inPlace()) {
            replyInPlace = true;
            int room = ringPayloadCapacity - offset;
            return reply.set(req, req, reqAddress, restAt + offset, Math.max(0, Math.min(max, room)));
        }
        replyInPlace = false;
        int room = out.capacity() - OutHeader.SIZE - offset;
        return reply.set(out, out, outAddress, OutHeader.SIZE + offset, Math.max(0, Math.min(max, room)));
    }

    DirentSink dirents(int max, boolean plus) {
        if (inPlace()) {
            replyInPlace = true;
            return dirents.reset(req, restAt, Math.max(0, Math.min(max, ringPayloadCapacity)), plus);
        }
        replyInPlace = false;
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

    /**
     * Puts a reply of {@code total} bytes (from {@link OpTable#dispatchRing}; -1: none) where the kernel reads it from
     * the ring entry: the out-header over the in-header, the body into the payload unless it was written there, and
     * the payload size the kernel checks against what it expects.
     */
    public void finishRing(int total, int payloadSizeAt) {
        if (total < OutHeader.SIZE) {
            // a request that takes no reply still gives its entry back: an empty answer
            req.putInt(0, OutHeader.SIZE).putInt(4, 0).putLong(8, header.unique());
            req.putInt(payloadSizeAt, 0);
            return;
        }
        int body = total - OutHeader.SIZE;
        req.putLong(0, out.getLong(0)).putLong(8, out.getLong(8));
        if (body > 0 && !replyInPlace) {
            req.put(restAt, out, OutHeader.SIZE, body);
        }
        req.putInt(payloadSizeAt, body);
    }
}
