package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.internal.abi.InHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes a raw request into an exchange's request buffer, as the kernel would. */
final class RequestBuilder {
    private final ByteBuffer buf;
    private int pos = InHeader.SIZE;

    RequestBuilder(Exchange x) {
        this.buf = x.requestBuffer();
        for (int i = 0; i < 4096; i++) {
            buf.put(i, (byte) 0);
        }
    }

    RequestBuilder u32(int v) {
        buf.putInt(pos, v);
        pos += 4;
        return this;
    }

    RequestBuilder u64(long v) {
        buf.putLong(pos, v);
        pos += 8;
        return this;
    }

    RequestBuilder bytes(byte[] b) {
        buf.put(pos, b);
        pos += b.length;
        return this;
    }

    /** A name with its NUL. */
    RequestBuilder name(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        buf.put(pos++, (byte) 0);
        return this;
    }

    RequestBuilder zeros(int n) {
        pos += n;
        return this;
    }

    /** Finishes the header; returns the request length. */
    int header(int opcode, long unique, long nodeId) {
        return header(opcode, unique, nodeId, pos);
    }

    /** Finishes the header with a declared length that may disagree with what was written. */
    int header(int opcode, long unique, long nodeId, int declaredLength) {
        buf.putInt(0, declaredLength).putInt(4, opcode).putLong(8, unique).putLong(16, nodeId)
                .putInt(24, 1000).putInt(28, 1000).putInt(32, 4242);
        return pos;
    }
}
