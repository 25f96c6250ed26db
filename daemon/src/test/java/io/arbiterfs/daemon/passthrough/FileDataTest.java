package io.arbiterfs.daemon.passthrough;

import static io.arbiterfs.daemon.passthrough.FsDriver.ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.internal.dispatch.WireDriver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FileDataTest extends PassthroughTestBase {

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void createWriteReadRoundTrip() throws Exception {
        long fh = d.create(ROOT, "f", Linux.O_RDWR | Linux.O_CREAT);
        long node = d.entry.nodeId();
        assertEquals(Linux.S_IFREG | 0644, d.entry.attr().mode());
        assertEquals(0, d.open.openFlags(), "no FOPEN flags without O_DIRECT");
        assertEquals(5, d.write(node, fh, 0, "hello".getBytes()));
        assertEquals(6, d.write(node, fh, 5, " world".getBytes()));
        assertEquals("hello world", new String(d.read(node, fh, 0, 100)));
        assertEquals("world", new String(d.read(node, fh, 6, 5)));
        assertEquals(0, d.read(node, fh, 1000, 10).length, "read past EOF");
        assertEquals(0, d.flush(node, fh));
        assertEquals(0, d.fsync(node, fh, 0));
        assertEquals(0, d.fsync(node, fh, FuseConst.FSYNC_FDATASYNC));
        assertEquals(1, fs.openFileCount());
        assertEquals(0, d.release(node, fh));
        assertEquals(0, fs.openFileCount());
        assertEquals("hello world", Files.readString(src.resolve("f")));
        assertEquals(-Errno.EBADF, d.release(node, fh));
        assertEquals(-Errno.EBADF, d.readRc(node, fh, 0, 8));
        assertEquals(1, fs.lookupCount(node), "create counts one lookup");
    }

    @Test
    void directIoOneMebibyteFromAlignedBufferAndBackingFlags() throws Exception {
        int flags = Linux.O_RDWR | Linux.O_CREAT | Linux.O_DIRECT | Linux.O_APPEND | Linux.O_DSYNC;
        long fh = d.create(ROOT, "big", flags);
        long node = d.entry.nodeId();
        assertEquals(FuseConst.FOPEN_DIRECT_IO | FuseConst.FOPEN_PARALLEL_DIRECT_WRITES, d.open.openFlags());
        int backing = backingFlags(src.resolve("big"));
        assertEquals(0, backing & Linux.O_DIRECT, "O_DIRECT stripped from the backing fd");
        assertEquals(0, backing & Linux.O_APPEND, "O_APPEND stripped from the backing fd");
        assertEquals(Linux.O_DSYNC, backing & Linux.O_DSYNC, "O_DSYNC kept");
        assertEquals(Linux.O_RDWR, backing & Linux.O_ACCMODE);

        int size = 1 << 20;
        byte[] data = random(size, 1);
        // the payload sits behind the request header: never aligned as a backing O_DIRECT fd would demand
        assertEquals(size, d.writeRc(node, fh, 0, data, 0));
        assertEquals(5000, d.writeRc(node, fh, 4097, new byte[5000], 0));
        byte[] expect = data.clone();
        java.util.Arrays.fill(expect, 4097, 4097 + 5000, (byte) 0);
        assertEquals(size, d.readRc(node, fh, 0, size));
        assertArrayEquals(expect, d.replyBytes());
        assertArrayEquals(expect, Files.readAllBytes(src.resolve("big")));
        d.release(node, fh);
    }

    @Test
    void appendOpenWritesAtTheKernelsOffset() throws Exception {
        Files.writeString(src.resolve("f"), "0123456789");
        long node = d.lookup(ROOT, "f");
        long fh = d.open(node, Linux.O_WRONLY | Linux.O_APPEND);
        d.write(node, fh, 2, "ab".getBytes());
        assertEquals("01ab456789", Files.readString(src.resolve("f")));
    }

    @Test
    void openWithTruncAndReadOnly() throws Exception {
        Files.writeString(src.resolve("f"), "content");
        long node = d.lookup(ROOT, "f");
        long ro = d.open(node, Linux.O_RDONLY);
        assertEquals(-Errno.EBADF, d.writeRc(node, ro, 0, new byte[4], 0));
        long fh = d.open(node, Linux.O_RDWR | Linux.O_TRUNC);
        assertEquals(0, Files.size(src.resolve("f")));
        d.release(node, fh);
        d.release(node, ro);
    }

    @Test
    void killSuidSgidOnWriteOpenAndSetattr() throws Exception {
        Path p = src.resolve("suid");
        Files.writeString(p, "x");
        long node = d.lookup(ROOT, "suid");
        long fh = d.open(node, Linux.O_RDWR);
        assertEquals(0, d.setattr(node, FuseConst.FATTR_MODE, 0, 0, 06755, 0, 0, 0, 0));
        assertEquals(06755, mode(p) & 07777);
        d.writeRc(node, fh, 0, new byte[1], 0);
        assertEquals(06755, mode(p) & 07777, "a plain write keeps the bits");
        d.writeRc(node, fh, 0, new byte[1], FuseConst.WRITE_KILL_SUIDGID);
        assertEquals(0755, mode(p) & 07777);

        d.setattr(node, FuseConst.FATTR_MODE, 0, 0, 06755, 0, 0, 0, 0);
        d.release(node, d.open.fh());
        assertEquals(0, d.openRc(node, Linux.O_RDWR | Linux.O_TRUNC, FuseConst.OPEN_KILL_SUIDGID));
        assertEquals(0755, mode(p) & 07777);

        d.setattr(node, FuseConst.FATTR_MODE, 0, 0, 02745, 0, 0, 0, 0); // sgid without group exec stays
        assertEquals(0, d.setattr(node, FuseConst.FATTR_SIZE | FuseConst.FATTR_KILL_SUIDGID, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(02745, d.attr.attr().mode() & 07777);
        d.setattr(node, FuseConst.FATTR_MODE, 0, 0, 04745, 0, 0, 0, 0);
        assertEquals(0, d.setattr(node, FuseConst.FATTR_SIZE | FuseConst.FATTR_KILL_SUIDGID, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(0745, d.attr.attr().mode() & 07777);
        d.release(node, fh);
    }

    @Test
    void setattrSizeModeTimesAndOwner() throws Exception {
        Path p = src.resolve("f");
        Files.writeString(p, "0123456789");
        long node = d.lookup(ROOT, "f");
        assertEquals(0, d.setattr(node, FuseConst.FATTR_SIZE, 0, 4, 0, 0, 0, 0, 0));
        assertEquals(4, d.attr.attr().size());
        assertEquals("0123", Files.readString(p));
        long fh = d.open(node, Linux.O_RDWR);
        assertEquals(0, d.setattr(node, FuseConst.FATTR_SIZE | FuseConst.FATTR_FH, fh, 100_000, 0, 0, 0, 0, 0));
        assertEquals(100_000, Files.size(p));
        assertEquals(-Errno.EBADF, d.setattr(node, FuseConst.FATTR_SIZE | FuseConst.FATTR_FH, 9999, 1, 0, 0, 0, 0, 0));

        assertEquals(0, d.setattr(node, FuseConst.FATTR_MODE, 0, 0, 0600, 0, 0, 0, 0));
        assertEquals(Linux.S_IFREG | 0600, d.attr.attr().mode());
        assertEquals(0600, mode(p) & 07777);
        assertEquals(0, d.setattr(node, FuseConst.FATTR_MODE | FuseConst.FATTR_FH, fh, 0, 0640, 0, 0, 0, 0));
        assertEquals(0640, mode(p) & 07777);

        int both = FuseConst.FATTR_ATIME | FuseConst.FATTR_MTIME;
        assertEquals(0, d.setattr(node, both, 0, 0, 0, 1_000_000, 123, 2_000_000, 456));
        assertEquals(1_000_000, d.attr.attr().atime());
        assertEquals(123, d.attr.attr().atimensec());
        assertEquals(2_000_000, d.attr.attr().mtime());
        assertEquals(456, d.attr.attr().mtimensec());
        // MTIME_NOW with atime omitted: atime stays, mtime becomes now
        long now = System.currentTimeMillis() / 1000;
        assertEquals(0, d.setattr(node, FuseConst.FATTR_MTIME | FuseConst.FATTR_MTIME_NOW, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(1_000_000, d.attr.attr().atime(), "UTIME_OMIT leaves atime");
        assertTrue(Math.abs(d.attr.attr().mtime() - now) <= 2, "mtime now");
        assertEquals(0, d.setattr(node, FuseConst.FATTR_ATIME_NOW, 0, 0, 0, 0, 0, 0, 0));
        assertTrue(Math.abs(d.attr.attr().atime() - now) <= 2, "atime now");

        assertEquals(0, d.setOwner(node, FuseConst.FATTR_UID | FuseConst.FATTR_GID, 1234, 5678));
        assertEquals(1234, d.attr.attr().uid());
        assertEquals(5678, d.attr.attr().gid());
        assertEquals(0, d.setOwner(node, FuseConst.FATTR_GID, 0, 42));
        assertEquals(1234, d.attr.attr().uid(), "uid unchanged when only gid is valid");
        assertEquals(42, d.attr.attr().gid());
        d.release(node, fh);

        Files.createDirectory(src.resolve("dir"));
        long dir = d.lookup(ROOT, "dir");
        assertEquals(-Errno.EISDIR, d.setattr(dir, FuseConst.FATTR_SIZE, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void getattrMatchesBackingStat() throws Exception {
        Path p = src.resolve("f");
        Files.write(p, new byte[12345]);
        long node = d.lookup(ROOT, "f");
        var a = d.getattr(node).attr();
        assertEquals(12345, a.size());
        assertEquals(ino(p), a.ino());
        assertEquals(1, a.nlink());
        assertEquals(Files.getLastModifiedTime(p).toMillis() / 1000, a.mtime());
        assertTrue(a.blksize() > 0);
        assertEquals(1, d.attr.attrValid());
    }

    @Test
    void fallocatePunchHoleAndSeekDataHole() throws Exception {
        long fh = d.create(ROOT, "sparse", Linux.O_RDWR);
        long node = d.entry.nodeId();
        int chunk = 1 << 20;
        d.write(node, fh, 0, random(3 * chunk, 2));
        assertEquals(0, d.fsync(node, fh, 0));
        long blocksBefore = d.getattr(node).attr().blocks();
        assertEquals(0, d.fallocate(node, fh, chunk, chunk, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE));
        var a = d.getattr(node).attr();
        assertEquals(3L * chunk, a.size());
        assertTrue(a.blocks() < blocksBefore, "hole frees blocks");
        assertEquals(chunk, d.lseek(node, fh, 0, Linux.SEEK_HOLE));
        assertEquals(2L * chunk, d.lseek(node, fh, chunk, Linux.SEEK_DATA));
        assertEquals(-Errno.ENXIO, d.lseek(node, fh, 3L * chunk, Linux.SEEK_DATA));
        byte[] hole = d.read(node, fh, chunk, 4096);
        assertArrayEquals(new byte[4096], hole);

        assertEquals(0, d.fallocate(node, fh, 3L * chunk, chunk, Linux.FALLOC_FL_KEEP_SIZE));
        assertEquals(3L * chunk, d.getattr(node).attr().size(), "KEEP_SIZE");
        assertEquals(0, d.fallocate(node, fh, 0, 4 * chunk, 0));
        assertEquals(4L * chunk, d.getattr(node).attr().size());
        assertEquals(0, d.fallocate(node, fh, 0, 100, Linux.FALLOC_FL_ZERO_RANGE));
        assertArrayEquals(new byte[100], d.read(node, fh, 0, 100));
        assertEquals(-Errno.EBADF, d.fallocate(node, 4711, 0, 1, 0));
    }

    @Test
    void copyFileRangeBetweenHandles() throws Exception {
        byte[] data = random(300_000, 3);
        Files.write(src.resolve("in"), data);
        long in = d.lookup(ROOT, "in");
        long fhIn = d.open(in, Linux.O_RDONLY);
        long fhOut = d.create(ROOT, "out", Linux.O_RDWR);
        long out = d.entry.nodeId();
        long n = d.copyFileRange(in, fhIn, 10, out, fhOut, 5, 200_000);
        assertEquals(200_000, n);
        byte[] copied = Files.readAllBytes(src.resolve("out"));
        assertEquals(200_005, copied.length);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 200_010), java.util.Arrays.copyOfRange(copied, 5, 200_005));
        assertEquals(-Errno.EBADF, d.copyFileRange(in, 999, 0, out, fhOut, 0, 1));
    }

    @Test
    void concurrentExtendingWritesOnOneHandle() throws Exception {
        long fh = d.create(ROOT, "shared", Linux.O_RDWR | Linux.O_DIRECT);
        long node = d.entry.nodeId();
        int threads = 8;
        int perThread = 64;
        int block = 16 * 1024;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                WireDriver my = d.another();
                ByteBuffer buf = ByteBuffer.allocate(block).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < perThread; i++) {
                    long index = (long) i * threads + id; // interleaved blocks: every write may extend
                    for (int k = 0; k < block; k += 8) {
                        buf.putLong(k, index);
                    }
                    int rc = my.writeRc(node, fh, index * block, buf.array(), 0);
                    assertEquals(block, rc);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long total = (long) threads * perThread;
        assertEquals(total * block, d.getattr(node).attr().size());
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(src.resolve("shared"))).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long index = 0; index < total; index++) {
            assertEquals(index, all.getLong((int) (index * block)), "block " + index);
            assertEquals(index, all.getLong((int) (index * block + block - 8)), "block end " + index);
        }
    }

    @Test
    void openReplyFlagsFollowODirect() throws Exception {
        d.create(ROOT, "f", Linux.O_RDWR | Linux.O_DIRECT);
        assertEquals(FuseConst.FOPEN_DIRECT_IO | FuseConst.FOPEN_PARALLEL_DIRECT_WRITES, d.open.openFlags());
        long node = d.entry.nodeId();
        d.open(node, Linux.O_RDONLY);
        assertEquals(0, d.open.openFlags(), "a buffered open uses the page cache");
        assertEquals(2, fs.openFileCount());
    }

    @Test
    void createHonoursModeAndUmaskExactly() throws Exception {
        assertEquals(0, d.createRc(ROOT, "a", Linux.O_RDWR | Linux.O_CREAT, 0666, 0));
        assertEquals(0666, mode(src.resolve("a")) & 07777, "the daemon's own umask must not apply");
        assertEquals(0, d.createRc(ROOT, "b", Linux.O_RDWR | Linux.O_CREAT, 0666, 027));
        assertEquals(0640, mode(src.resolve("b")) & 07777);
        assertEquals(-Errno.EEXIST, d.createRc(ROOT, "b", Linux.O_RDWR | Linux.O_CREAT | Linux.O_EXCL, 0666, 0));
        assertEquals("", Files.readString(src.resolve("b"), StandardCharsets.UTF_8));
    }

    /** The open(2) flags of the one non-O_PATH descriptor this JVM holds on {@code file} (from /proc/self/fdinfo). */
    private static int backingFlags(Path file) throws Exception {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (java.io.IOException e) {
                    continue; // closed meanwhile
                }
                if (!target.equals(real)) {
                    continue;
                }
                for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()))) {
                    if (line.startsWith("flags:")) {
                        int flags = Integer.parseInt(line.substring(6).strip(), 8);
                        if ((flags & Linux.O_PATH) == 0) {
                            return flags;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no open descriptor of " + file);
    }
}
