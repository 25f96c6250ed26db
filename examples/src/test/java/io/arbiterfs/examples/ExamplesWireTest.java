package io.arbiterfs.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.internal.dispatch.WireDriver;
import io.arbiterfs.fuse.internal.dispatch.WireDriver.Dirent;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The examples driven through the real dispatch table, without a mount. */
class ExamplesWireTest {
    private static final long ROOT = WireDriver.ROOT;

    @Test
    void helloHasOneReadOnlyFile() {
        WireDriver d = new WireDriver(new HelloFs());
        long node = d.lookup(ROOT, HelloFs.NAME);
        assertEquals(Linux.S_IFREG | 0444, d.entry.attr().mode());
        assertEquals(-Errno.ENOENT, d.lookupRc(ROOT, "other"));
        long fh = d.open(node, Linux.O_RDONLY);
        assertArrayEquals(HelloFs.CONTENT, d.read(node, fh, 0, 4096));
        assertEquals("world!\n", new String(d.read(node, fh, 7, 100), StandardCharsets.UTF_8));
        assertEquals(-Errno.EACCES, d.openRc(node, Linux.O_WRONLY, 0));
        assertEquals(List.of(".", "..", HelloFs.NAME), d.readdirAll(ROOT, 4096, false).stream().map(Dirent::name).toList());
    }

    @Test
    void memoryFilesDirectoriesLinksAndXattrs() {
        MemoryFs fs = new MemoryFs();
        WireDriver d = new WireDriver(fs);
        long dir = d.mkdir(ROOT, "d");
        long fh = d.create(dir, "f", Linux.O_RDWR);
        long f = d.entry.nodeId();
        assertEquals(5, d.write(f, fh, 0, "hello".getBytes()));
        assertEquals(6, d.write(f, fh, 5, " world".getBytes()));
        assertEquals("hello world", new String(d.read(f, fh, 0, 100)));
        assertEquals(11, d.getattr(f).attr().size());
        assertEquals(0, d.setattr(f, io.arbiterfs.fuse.internal.abi.FuseConst.FATTR_SIZE, 0, 5, 0, 0, 0, 0, 0));
        assertEquals("hello", new String(d.read(f, fh, 0, 100)));
        assertEquals(0, d.release(f, fh));
        assertEquals(0, d.linkRc(f, ROOT, "hard"));
        assertEquals(2, d.entry.attr().nlink());
        assertEquals(0, d.rename(dir, "f", ROOT, "moved", 0));
        assertEquals(-Errno.ENOENT, d.lookupRc(dir, "f"));
        assertEquals(f, d.lookup(ROOT, "moved"));
        assertEquals("d", fs.path(dir).orElseThrow());
        assertTrue(List.of("hard", "moved").contains(fs.path(f).orElseThrow()), "one of the file's two names");
        long link = d.symlink(ROOT, "l", "moved");
        assertEquals("moved", d.readlink(link));
        assertEquals(0, d.setxattr(f, "user.k", "v".getBytes(), 0));
        assertEquals(1, d.getxattr(f, "user.k", 16));
        assertEquals(0, d.rmdir(ROOT, "d"));
        assertEquals(List.of(".", "..", "hard", "l", "moved"),
                d.readdirAll(ROOT, 4096, false).stream().map(Dirent::name).toList());
        assertEquals(0, d.unlink(ROOT, "hard"));
        assertEquals(0, d.unlink(ROOT, "moved"));
        d.forget(f, 10);
        assertTrue(!fs.known(f), "an unlinked, forgotten, closed file is gone");
    }

    @Test
    void writesWithinTheFileRunSideBySide() throws Exception {
        MemoryFs fs = new MemoryFs();
        WireDriver d = new WireDriver(fs);
        long fh = d.create(ROOT, "big", Linux.O_RDWR | Linux.O_DIRECT);
        long node = d.entry.nodeId();
        d.write(node, fh, 0, new byte[1 << 20]);
        List<CompletableFuture<Void>> writers = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.runAsync(() -> {
            WireDriver my = d.another();
            byte[] block = new byte[4096];
            java.util.Arrays.fill(block, (byte) (i + 1));
            for (int k = 0; k < 64; k++) {
                my.write(node, fh, (long) (i * 64 + k) * 4096, block);
            }
        })).toList();
        for (CompletableFuture<Void> w : writers) {
            w.get();
        }
        for (int i = 0; i < 4; i++) {
            byte[] got = d.read(node, fh, (long) i * 64 * 4096, 4096);
            assertEquals(i + 1, got[0]);
        }
        assertEquals(1 << 20, fs.size(node));
    }

    @Test
    void capacityBoundsTheData() {
        MemoryFs fs = new MemoryFs(64 << 10, 0, 0);
        WireDriver d = new WireDriver(fs);
        long fh = d.create(ROOT, "f", Linux.O_RDWR);
        long node = d.entry.nodeId();
        assertEquals(-Errno.ENOSPC, d.writeRc(node, fh, 0, new byte[128 << 10], 0));
        assertEquals(4096, d.write(node, fh, 0, new byte[4096]));
    }
}
