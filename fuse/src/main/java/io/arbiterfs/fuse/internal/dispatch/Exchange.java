package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.DirentSink;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Payload;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.internal.abi.Struct;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;

/**
 * One worker's request and reply buffers with the views over them. A handler reads its request
 * struct with {@link #in}, writes its reply struct with {@link #out} and returns the reply body's
 * length; nothing here allocates per request.
 */
public final class Exchange {
    /** Room for the in-header and the largest fixed request struct ahead of a WRITE payload. */
    public static final int REQUEST_HEADROOM = 4096;

    final ByteBuffer in;
    final long inAddress;
    final ByteBuffer out;
    final long outAddress;
    final InHeader header = new InHeader();
    final OutHeader outHeader = new OutHeader();
    public final Request request = new Request();
    final Views views = new Views();
    private final Name name1 = new Name();
    private final Name name2 = new Name();
    private final Payload payload = new Payload();
    private final DirentSink dirents = new DirentSink();

    private int bodyStart;
    private int bodyEnd;

    public Exchange(int maxWrite) {
        // page-aligned so payloads handed to the backing file start on a page boundary
        in = Native.alignedBuffer(REQUEST_HEADROOM + maxWrite, 4096);
        inAddress = Native.address(in);
        out = Native.alignedBuffer(OutHeader.SIZE + Math.max(maxWrite, 64 * 1024), 4096);
        outAddress = Native.address(out);
    }

    public ByteBuffer requestBuffer() {
        return in;
    }

    public long requestAddress() {
        return inAddress;
    }

    public long replyAddress() {
        return outAddress;
    }

    public int requestCapacity() {
        return in.capacity();
    }

    /** Bind the header of a request of {@code length} bytes read into the request buffer. */
    InHeader begin(int length) {
        header.wrap(in, 0);
        bodyStart = InHeader.SIZE;
        int ext = header.totalExtlen() * 8;
        bodyEnd = Math.max(bodyStart, Math.min(length, (int) Math.min(header.len(), Integer.MAX_VALUE)) - ext);
        request.set(header.unique(), header.opcode(), header.nodeId(), header.uid(), header.gid(), header.pid());
        return header;
    }

    public InHeader header() {
        return header;
    }

    /** Bytes of request body after the in-header (extensions excluded). */
    public int bodyLength() {
        return bodyEnd - bodyStart;
    }

    /** The request struct at the start of the body. The table has checked the body is long enough. */
    public <T extends Struct<T>> T in(T view) {
        return view.wrap(in, bodyStart);
    }

    /** The native address of the body at {@code offset}. */
    public long bodyAddress(int offset) {
        return inAddress + bodyStart + offset;
    }

    /**
     * The NUL-terminated name starting {@code offset} bytes into the body, or null if it runs past the
     * body or is empty. Use {@link #nameEnd} to find where a following name starts.
     */
    public Name name(int offset) {
        return parseName(name1, offset);
    }

    /** A second name (RENAME's new name, SYMLINK's target). */
    public Name secondName(int offset) {
        return parseName(name2, offset);
    }

    /** Offset, relative to the body, just past a name parsed at {@code offset}. */
    public static int nameEnd(Name n, int offset) {
        return offset + n.length() + 1;
    }

    private Name parseName(Name target, int offset) {
        int from = bodyStart + offset;
        for (int i = from; i < bodyEnd; i++) {
            if (in.get(i) == 0) {
                return i == from ? null : target.set(in, inAddress, from, i - from);
            }
        }
        return null;
    }

    /** A reply struct right after the out-header, zeroed. */
    public <T extends Struct<T>> T out(T view) {
        return view.wrap(out, OutHeader.SIZE).clear();
    }

    /** A reply struct at {@code offset} bytes into the reply body, zeroed. */
    public <T extends Struct<T>> T out(T view, int offset) {
        return view.wrap(out, OutHeader.SIZE + offset).clear();
    }

    /** Room for up to {@code max} payload bytes at {@code offset} into the reply body. */
    public Payload payload(int offset, int max) {
        int room = out.capacity() - OutHeader.SIZE - offset;
        return payload.set(out, outAddress, OutHeader.SIZE + offset, Math.max(0, Math.min(max, room)));
    }

    public DirentSink dirents(int max, boolean plus) {
        int room = out.capacity() - OutHeader.SIZE;
        return dirents.reset(out, OutHeader.SIZE, Math.min(max, room), plus);
    }

    /** Fill the out-header for a reply with {@code bodyLength} bytes, or an error. Returns the total length. */
    int finish(long unique, int error, int bodyLength) {
        int total = OutHeader.SIZE + (error == 0 ? bodyLength : 0);
        outHeader.wrap(out, 0).len(total).error(error).unique(unique);
        return total;
    }
}
