package io.arbiterfs.daemon.passthrough;

import static io.arbiterfs.daemon.passthrough.FsDriver.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InodeTableTest extends PassthroughTestBase {

    @Test
    void sameFileSameNodeIdAndInoFromBackingFile() throws Exception {
        Files.writeString(src.resolve("a"), "x");
        long first = d.lookup(ROOT, "a");
        assertEquals(ino(src.resolve("a")), d.entry.attr().ino(), "attr.ino is the backing st_ino");
        assertEquals(PassthroughFs.GENERATION, d.entry.generation());
        assertEquals(1, d.entry.entryValid());
        assertEquals(1, d.entry.attrValid());
        long second = d.lookup(ROOT, "a");
        assertEquals(first, second);
        assertEquals(2, fs.lookupCount(first));
        assertNotEquals(ROOT, first);
    }

    @Test
    void forgetToZeroClosesTheFdAndNodeIdsAreNotReused() throws Exception {
        Files.writeString(src.resolve("a"), "x");
        long baseline = openFds();
        int inodesBefore = fs.inodeCount();
        long node = d.lookup(ROOT, "a");
        d.lookup(ROOT, "a");
        int fd = fs.inode(node).orElseThrow().fd();
        assertEquals(baseline + 1, openFds(), "one O_PATH fd per inode, however many lookups");
        d.forget(node, 1);
        assertTrue(fdOpen(fd));
        assertEquals(inodesBefore + 1, fs.inodeCount());
        d.forget(node, 1);
        assertEquals(baseline, openFds());
        assertEquals(inodesBefore, fs.inodeCount());
        assertEquals(-Errno.ESTALE, d.getattrRc(node, 0));
        long again = d.lookup(ROOT, "a");
        assertTrue(again > node, "node ids come from a counter");
    }

    @Test
    void rootIsNeverForgotten() {
        d.forget(ROOT, 1000);
        assertEquals(1, fs.inodeCount());
        assertEquals(Linux.S_IFDIR, d.getattr(ROOT).attr().mode() & Linux.S_IFMT);
    }

    @Test
    void hardLinksShareTheInode() throws Exception {
        Files.writeString(src.resolve("a"), "x");
        Files.createLink(src.resolve("b"), src.resolve("a"));
        assertEquals(d.lookup(ROOT, "a"), d.lookup(ROOT, "b"));
    }

    @Test
    void unknownNodeIsStale() {
        assertEquals(-Errno.ESTALE, d.lookupRc(999_999, "a"));
        assertEquals(-Errno.ESTALE, d.mkdirRc(999_999, "a", 0755, 0));
    }

    @Test
    void lookupRacingForgetNeverReturnsAClosedInode() throws Exception {
        Files.writeString(src.resolve("a"), "x");
        long baseline = openFds();
        int threads = 8;
        int rounds = 3000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                io.arbiterfs.fuse.internal.dispatch.WireDriver my = d.another();
                start.await();
                for (int i = 0; i < rounds; i++) {
                    long node = my.lookup(ROOT, "a");
                    // a lookup that revived a forgotten inode would hand out a closed or missing fd
                    int rc = my.getattrRc(node, 0);
                    if (rc != 0) {
                        failures.incrementAndGet();
                    }
                    my.forget(node, 1);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, failures.get());
        assertEquals(1, fs.inodeCount(), "every lookup was forgotten");
        assertEquals(baseline, openFds());
    }

    @Test
    void dotDotAndSlashNamesDoNotEscape() throws Exception {
        Files.createDirectory(src.resolve("sub"));
        assertEquals(-Errno.ENOENT, d.lookupRc(ROOT, ".."));
        assertEquals(-Errno.ENOENT, d.lookupRc(ROOT, "."));
        long sub = d.lookup(ROOT, "sub");
        assertEquals(-Errno.ENOENT, d.lookupRc(sub, ".."));
        assertEquals(-Errno.EINVAL, d.lookupRc(ROOT, "sub/.."));
        assertEquals(-Errno.EINVAL, d.lookupRc(sub, "../.."));
        assertEquals(-Errno.EINVAL, d.mkdirRc(ROOT, "..", 0755, 0));
        assertEquals(-Errno.EINVAL, d.mkdirRc(ROOT, "a/b", 0755, 0));
        assertEquals(-Errno.EINVAL, d.createRc(ROOT, "../escape", Linux.O_RDWR, 0644, 0));
        assertEquals(-Errno.EINVAL, d.rename(ROOT, "sub", ROOT, "../moved", 0));
        assertEquals(-Errno.EINVAL, d.unlink(ROOT, ".."));
        assertEquals(-Errno.EINVAL, d.symlinkRc(ROOT, "x/y", "t"));
        assertFalse(Files.exists(src.getParent().resolve("escape")));
        assertFalse(Files.exists(src.getParent().resolve("moved")));
    }

    @Test
    void symlinksAreNeverFollowed() throws Exception {
        long up = d.symlink(ROOT, "up", "/");
        assertEquals("/", d.readlink(up));
        int rc = d.lookupRc(up, "etc");
        assertTrue(rc == -Errno.ENOTDIR || rc == -Errno.ENOENT, "lookup through a symlink: " + rc);
        long parent = d.symlink(ROOT, "parent", "..");
        rc = d.lookupRc(parent, Path.of(src.getFileName().toString()).toString());
        assertTrue(rc == -Errno.ENOTDIR || rc == -Errno.ENOENT, "lookup through '..' symlink: " + rc);
        // opening a symlink node must not open its target
        Path outside = Files.createTempFile("arbiterfs-outside", ".txt");
        try {
            Files.writeString(outside, "secret");
            int outsideMode = mode(outside);
            long link = d.symlink(ROOT, "out", outside.toString());
            assertEquals(-Errno.ELOOP, d.openRc(link, Linux.O_RDONLY, 0));
            assertEquals(-Errno.ELOOP, d.createRc(ROOT, "out", Linux.O_RDWR | Linux.O_TRUNC, 0644, 0));
            assertEquals(-Errno.EOPNOTSUPP, d.setattr(link, io.arbiterfs.fuse.internal.abi.FuseConst.FATTR_MODE, 0, 0, 0777, 0, 0, 0, 0));
            // xattrs act on the link itself (the magic link of its O_PATH fd names it), never on the target:
            // user.* is not allowed on symlinks (EPERM, as on the host), trusted.* is (we are root)
            assertEquals(-Errno.EPERM, d.setxattr(link, "user.x", new byte[] {1}, 0));
            assertEquals(0, d.setxattr(link, "trusted.x", new byte[] {7}, 0));
            assertEquals(1, d.getxattr(link, "trusted.x", 16));
            assertEquals(7, d.replyBytes()[0]);
            int listed = d.listxattr(link, 64);
            assertEquals("trusted.x\0", new String(java.util.Arrays.copyOf(d.replyBytes(), listed)));
            assertEquals(0, d.removexattr(link, "trusted.x"));
            assertTrue(Files.readAttributes(outside, "user:*").isEmpty(), "the target got no attribute");
            long before = Files.getLastModifiedTime(outside).toMillis();
            d.setattr(link, io.arbiterfs.fuse.internal.abi.FuseConst.FATTR_MTIME, 0, 0, 0, 0, 0, 12345, 0);
            assertEquals(before, Files.getLastModifiedTime(outside).toMillis(), "target untouched");
            assertEquals(12345, d.getattr(link).attr().mtime(), "the link itself got the time");
            assertEquals("secret", Files.readString(outside));
            assertEquals(outsideMode, mode(outside), "target mode untouched");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void pathOfFollowsRenames() throws Exception {
        Files.createDirectory(src.resolve("dir"));
        Files.writeString(src.resolve("dir/f"), "x");
        long dir = d.lookup(ROOT, "dir");
        long f = d.lookup(dir, "f");
        assertEquals("dir/f", fs.path(f).orElseThrow());
        assertEquals(0, d.rename(dir, "f", ROOT, "g", 0));
        assertEquals("g", fs.path(f).orElseThrow());
        assertEquals("", fs.path(ROOT).orElseThrow());
        assertTrue(fs.path(12345).isEmpty());
    }

    @Test
    void theEndOfTheConnectionClosesEverything() throws Exception {
        Files.writeString(src.resolve("a"), "x");
        Files.createDirectory(src.resolve("d"));
        long baseline = openFds();
        long a = d.lookup(ROOT, "a");
        d.open(a, Linux.O_RDWR);
        d.opendir(d.lookup(ROOT, "d"));
        d.create(ROOT, "c", Linux.O_RDWR);
        assertEquals(baseline + 6, openFds());
        d.table().releaseRemaining(); // what the engine does when the connection ends with files open
        fs.destroy();
        assertEquals(baseline - 1, openFds(), "the root's fd is closed too");
        fs = new PassthroughFs(src); // for @AfterEach
    }
}
