package io.arbiterfs.daemon.reliability;

import io.arbiterfs.fuse.internal.dispatch.NoSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kernel never sends but a hostile or buggy client of /dev/fuse could: requests that use
 * an absolute symlink's node as a directory. The daemon must refuse them instead of resolving the
 * link (which would reach the host's /), and return the target only as READLINK text.
 */
class LinkAsParentTest {
    private final Exchange x = new Exchange(128 << 10);
    private final ByteBuffer in = x.requestBuffer().order(ByteOrder.LITTLE_ENDIAN);
    private final Pointer out = Pointer.wrap(jnr.ffi.Runtime.getSystemRuntime(), x.replyAddress());
    private long unique;

    /** Sends opcode on node with body; returns the reply's error (0 on success). */
    private int send(OpTable<?, ?> t, int opcode, long node, byte[] body) {
        for (int i = 0; i < 40 + body.length + 64; i++) {
            in.put(i, (byte) 0);
        }
        in.put(40, body);
        in.putInt(0, 40 + body.length).putInt(4, opcode).putLong(8, ++unique).putLong(16, node);
        int r = t.dispatch(x, 40 + body.length);
        assertTrue(r >= 16, "no reply to " + Opcode.name(opcode));
        return out.getInt(4);
    }

    private static byte[] name(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAbsoluteSymlinksNodeIsNeverUsedAsADirectory(@TempDir Path src) throws Exception {
        Files.createSymbolicLink(src.resolve("root"), Path.of("/"));
        Files.createSymbolicLink(src.resolve("etc"), Path.of("/etc"));
        PassthroughFs fs = new PassthroughFs(src);
        OpTable<?, ?> t = new OpTable<>(fs, new NoSession());
        try {
            for (String link : new String[] {"root", "etc"}) {
                assertEquals(0, send(t, Opcode.LOOKUP, 1, name(link)));
                long node = out.getLong(16); // fuse_entry_out.nodeid
                assertTrue(send(t, Opcode.LOOKUP, node, name(link.equals("root") ? "etc" : "passwd")) < 0, "lookup through " + link);
                assertTrue(send(t, Opcode.MKDIR, node, concat(new byte[8], name("x"))) < 0, "mkdir through " + link);
                assertTrue(send(t, Opcode.CREATE, node, concat(new byte[16], name("x"))) < 0, "create through " + link);
                assertTrue(send(t, Opcode.UNLINK, node, name("x")) < 0, "unlink through " + link);
                assertTrue(send(t, Opcode.OPENDIR, node, new byte[8]) < 0, "opendir of " + link);
                assertTrue(send(t, Opcode.OPEN, node, new byte[8]) < 0, "open of " + link);
                assertEquals(0, send(t, Opcode.READLINK, node, new byte[0]));
                int len = out.getInt(0) - 16;
                byte[] target = new byte[len];
                out.get(16, target, 0, len);
                assertEquals(link.equals("root") ? "/" : "/etc", new String(target, StandardCharsets.UTF_8));
            }
            assertEquals(-Errno.ENOENT, send(t, Opcode.LOOKUP, 1, name("..")), "no parent above SOURCE");
            assertTrue(Files.notExists(Path.of("/x")) && Files.notExists(Path.of("/etc/x")));
        } finally {
            fs.destroy();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
