package io.arbiterfs.fuse.internal.uring;

import java.nio.ByteBuffer;

/**
 * FUSE over io_uring as the kernel defines it (include/uapi/linux/fuse.h: enum fuse_uring_cmd, struct
 * fuse_uring_cmd_req, struct fuse_uring_req_header, struct fuse_uring_ent_in_out; fs/fuse/dev_uring.c): the
 * URING_CMD SQEs that register an entry and commit a reply, and the layout of an entry's header buffer.
 */
final class FuseRingAbi {
    static final byte IORING_OP_URING_CMD = 46;
    static final int CMD_REGISTER = 1;
    static final int CMD_COMMIT_AND_FETCH = 2;

    /** fuse_uring_req_header: in_out (the in-header on the way in, the out-header on the way back). */
    static final int HEADER_IN_OUT = 0;
    /** fuse_uring_req_header: op_in, the request's first argument (its fixed struct). */
    static final int HEADER_OP_IN = 128;
    /** fuse_uring_ent_in_out.commit_id. */
    static final int HEADER_COMMIT_ID = 256 + 8;
    /** fuse_uring_ent_in_out.payload_sz: bytes of payload the kernel copied in, or the server copies back. */
    static final int HEADER_PAYLOAD_SIZE = 256 + 16;
    /** sizeof(struct fuse_uring_req_header). */
    static final int HEADER_SIZE = 288;

    // offsets in a 128-byte SQE
    private static final int SQE_OPCODE = 0;
    private static final int SQE_FD = 4;
    private static final int SQE_CMD_OP = 8;
    private static final int SQE_ADDR = 16;
    private static final int SQE_LEN = 24;
    private static final int SQE_USER_DATA = 32;
    private static final int SQE_CMD_COMMIT_ID = 48 + 8;
    private static final int SQE_CMD_QID = 48 + 16;

    private FuseRingAbi() {}

    /** FUSE_IO_URING_CMD_REGISTER of an entry whose two iovecs (headers, payload) are at {@code iovecs}. */
    static void register(ByteBuffer sqes, int at, int fuseFd, long iovecs, int qid, long userData) {
        sqes.put(at + SQE_OPCODE, IORING_OP_URING_CMD).putInt(at + SQE_FD, fuseFd).putInt(at + SQE_CMD_OP, CMD_REGISTER)
                .putLong(at + SQE_ADDR, iovecs).putInt(at + SQE_LEN, 2).putLong(at + SQE_USER_DATA, userData)
                .putShort(at + SQE_CMD_QID, (short) qid);
    }

    /** FUSE_IO_URING_CMD_COMMIT_AND_FETCH: the reply is in the entry's buffers; the entry then waits for the next. */
    static void commitAndFetch(ByteBuffer sqes, int at, int fuseFd, long commitId, int qid, long userData) {
        sqes.put(at + SQE_OPCODE, IORING_OP_URING_CMD).putInt(at + SQE_FD, fuseFd)
                .putInt(at + SQE_CMD_OP, CMD_COMMIT_AND_FETCH).putLong(at + SQE_USER_DATA, userData)
                .putLong(at + SQE_CMD_COMMIT_ID, commitId).putShort(at + SQE_CMD_QID, (short) qid);
    }

    /**
     * The payload buffer the kernel demands of every entry: at least max(8192, max_write, max_pages * 4096)
     * (fuse_uring_create_queue / fuse_uring_register), in whole pages.
     */
    static int payloadSize(int maxWrite, int maxPages) {
        long need = Math.max(8192, Math.max(maxWrite, (long) maxPages * 4096));
        return (int) ((need + 4095) & ~4095L);
    }
}
