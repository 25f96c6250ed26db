package io.arbiterfs.fuse.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.platform.Errno;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatch table against malformed and well-formed requests, with a recording file system. */
class OpTableTest {
    private final List<String> calls = new ArrayList<>();

    private final FileSystem<Object, Object> fs = new FileSystem<>() {
        @Override
        public int lookup(Request req, long parent, Name name, Entry out) {
            calls.add("lookup " + parent + " " + name);
            out.node(77).attributes().ino(5).mode(0100644);
            return 0;
        }

        @Override
        public void forget(long node, long nlookup) {
            calls.add("forget " + node + " " + nlookup);
        }

        @Override
        public int write(Request req, long node, Object file, WriteArgs in, DataView data) {
            calls.add("write " + node + " " + in.size() + " pid " + req.pid());
            return in.size();
        }

        @Override
        public int unlink(Request req, long parent, Name name) {
            throw new IllegalStateException("backend bug");
        }

        @Override
        public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
            return out.xattr(new byte[] {'a', 'b', 'c'}, size);
        }

        @Override
        public int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
            calls.add("rename " + parent + "/" + name + " -> " + newParent + "/" + newName + " flags " + flags);
            return 0;
        }
    };

    private final OpTable<?, ?> table = new OpTable<>(fs, new NoSession());
    private final Exchange x = new Exchange(1 << 20);

    private ByteBuffer reply() {
        return x.out;
    }

    private void assertError(int replyLength, long unique, int errno) {
        assertEquals(16, replyLength, "an error reply is the bare out-header");
        assertEquals(16, reply().getInt(0));
        assertEquals(-errno, reply().getInt(4));
        assertEquals(unique, reply().getLong(8));
    }

    @Test
    void unknownOpcodeGetsEnosys() {
        int len = new RequestBuilder(x).header(99, 7, 1);
        assertError(table.dispatch(x, len), 7, Errno.ENOSYS);
        assertError(table.dispatch(x, new RequestBuilder(x).header(Opcode.BMAP, 8, 1)), 8, Errno.ENOSYS);
    }

    @Test
    void lengthDisagreeingWithHeaderGetsEio() {
        int len = new RequestBuilder(x).name("file").header(Opcode.LOOKUP, 9, 1, 999);
        assertError(table.dispatch(x, len), 9, Errno.EIO);
        assertTrue(calls.isEmpty());
    }

    @Test
    void readShorterThanHeaderIsDropped() {
        assertEquals(-1, table.dispatch(x, 12));
    }

    @Test
    void unterminatedNameGetsEinval() {
        int len = new RequestBuilder(x).bytes("abc".getBytes()).header(Opcode.LOOKUP, 10, 1);
        assertError(table.dispatch(x, len), 10, Errno.EINVAL);
        int empty = new RequestBuilder(x).name("").header(Opcode.LOOKUP, 11, 1);
        assertError(table.dispatch(x, empty), 11, Errno.EINVAL);
        assertTrue(calls.isEmpty());
    }

    @Test
    void truncatedStructGetsEinval() {
        int len = new RequestBuilder(x).u64(1).u64(0).header(Opcode.WRITE, 12, 2);
        assertError(table.dispatch(x, len), 12, Errno.EINVAL);
        assertTrue(calls.isEmpty());
    }

    @Test
    void writeClaimingMoreThanItCarriesGetsEinval() {
        int len = new RequestBuilder(x).u64(1).u64(0).u32(4096).u32(0).u64(0).u32(0).u32(0).zeros(100)
                .header(Opcode.WRITE, 13, 2);
        assertError(table.dispatch(x, len), 13, Errno.EINVAL);
        assertTrue(calls.isEmpty());
    }

    @Test
    void wellFormedWriteRepliesWithCount() {
        int len = new RequestBuilder(x).u64(0).u64(0).u32(100).u32(0).u64(0).u32(0).u32(0).zeros(100)
                .header(Opcode.WRITE, 14, 2);
        assertEquals(24, table.dispatch(x, len));
        assertEquals(0, reply().getInt(4));
        assertEquals(100, reply().getInt(16));
        assertEquals(List.of("write 2 100 pid 4242"), calls);
    }

    @Test
    void lookupEncodesEntry() {
        int len = new RequestBuilder(x).name("file").header(Opcode.LOOKUP, 15, 1);
        assertEquals(16 + EntryOut.SIZE, table.dispatch(x, len));
        assertEquals(77, reply().getLong(16));
        assertEquals(5, reply().getLong(16 + 40));
        assertEquals(List.of("lookup 1 file"), calls);
    }

    @Test
    void renameDecodesBothNames() {
        int len = new RequestBuilder(x).u64(3).u32(1).u32(0).name("old").name("new").header(Opcode.RENAME2, 16, 2);
        assertEquals(16, table.dispatch(x, len));
        assertEquals(List.of("rename 2/old -> 3/new flags 1"), calls);
        int missingSecond = new RequestBuilder(x).u64(3).name("old").header(Opcode.RENAME, 17, 2);
        assertError(table.dispatch(x, missingSecond), 17, Errno.EINVAL);
    }

    @Test
    void forgetHasNoReply() {
        int len = new RequestBuilder(x).u64(3).header(Opcode.FORGET, 18, 42);
        assertEquals(-1, table.dispatch(x, len));
        assertEquals(List.of("forget 42 3"), calls);
    }

    @Test
    void batchForgetTrustsOnlyWhatTheBodyHolds() {
        int len = new RequestBuilder(x).u32(1000).u32(0).u64(5).u64(1).u64(6).u64(2).header(Opcode.BATCH_FORGET, 19, 0);
        assertEquals(-1, table.dispatch(x, len));
        assertEquals(List.of("forget 5 1", "forget 6 2"), calls);
    }

    @Test
    void handlerExceptionBecomesEio() {
        int len = new RequestBuilder(x).name("f").header(Opcode.UNLINK, 20, 1);
        assertError(table.dispatch(x, len), 20, Errno.EIO);
    }

    @Test
    void getxattrSizeProbeAnswersWithLength() {
        int probe = new RequestBuilder(x).u32(0).u32(0).name("user.a").header(Opcode.GETXATTR, 21, 1);
        assertEquals(24, table.dispatch(x, probe));
        assertEquals(3, reply().getInt(16));
        int fetch = new RequestBuilder(x).u32(10).u32(0).name("user.a").header(Opcode.GETXATTR, 22, 1);
        assertEquals(19, table.dispatch(x, fetch));
        assertEquals('a', reply().get(16));
    }

    @Test
    void interruptOfUnknownRequestAsksToRetry() {
        int len = new RequestBuilder(x).u64(1234).header(Opcode.INTERRUPT, 23 | 1, 0);
        assertError(table.dispatch(x, len), 23 | 1, Errno.EAGAIN);
    }

    @Test
    void defaultsAnswerEnosys() {
        assertFalse(calls.contains("mkdir"));
        int len = new RequestBuilder(x).u32(0755).u32(022).name("d").header(Opcode.MKDIR, 24, 1);
        assertError(table.dispatch(x, len), 24, Errno.ENOSYS);
    }
}
