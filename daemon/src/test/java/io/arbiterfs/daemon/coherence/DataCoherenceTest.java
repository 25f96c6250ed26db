package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.process.ChildProcess;
import io.arbiterfs.testkit.sys.Syscalls;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every pair of access paths sees the other's data: mmap, buffered and direct IO on one file. */
@Tag("mount")
class DataCoherenceTest {
    /** In a child process: the tests fault on mappings of the mount. */
    @RegisterExtension
    static final MountFixture<ChildProcess> m = Daemons.inChildProcess();
    private static final int LEN = 8 * Syscalls.PAGE;

    private static Path fileOf(String name, byte fill) throws Exception {
        Path f = m.file(name);
        byte[] b = new byte[LEN];
        java.util.Arrays.fill(b, fill);
        Files.write(f, b);
        return f;
    }

    private static byte[] directRead(Path f, int offset, int length) {
        int fd = Syscalls.openOk(f, Linux.O_RDONLY | Linux.O_DIRECT);
        ByteBuffer buf = Syscalls.aligned(length);
        Syscalls.preadFully(fd, buf, length, offset);
        Syscalls.close(fd);
        byte[] out = new byte[length];
        buf.get(0, out);
        return out;
    }

    private static void directWrite(Path f, int offset, int length, byte fill) {
        int fd = Syscalls.openOk(f, Linux.O_RDWR | Linux.O_DIRECT);
        Syscalls.pwriteFully(fd, Syscalls.filled(length, fill), length, offset);
        Syscalls.close(fd);
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, b);
        return a;
    }

    @Test
    void mmapStoreThenMsyncIsSeenByDirectRead() throws Exception {
        Path f = fileOf("mmap-then-direct", (byte) 'a');
        int fd = Syscalls.openOk(f, Linux.O_RDWR);
        long addr = Syscalls.mapShared(fd, LEN);
        assertTrue(addr > 0, "mmap errno " + -addr);
        Pointer p = Pointer.wrap(jnr.ffi.Runtime.getSystemRuntime(), addr);
        for (int i = 0; i < Syscalls.PAGE; i++) {
            p.putByte(Syscalls.PAGE + i, (byte) 'M');
        }
        assertEquals(0, Syscalls.libc.msync(addr, LEN, Linux.MS_SYNC));
        assertArrayEquals(filled(Syscalls.PAGE, (byte) 'M'), directRead(f, Syscalls.PAGE, Syscalls.PAGE));
        Syscalls.libc.munmap(addr, LEN);
        Syscalls.close(fd);
    }

    @Test
    void directWriteIsSeenThroughAnExistingMapping() throws Exception {
        Path f = fileOf("direct-then-mmap", (byte) 'b');
        int fd = Syscalls.openOk(f, Linux.O_RDWR);
        long addr = Syscalls.mapShared(fd, LEN);
        assertTrue(addr > 0, "mmap errno " + -addr);
        Pointer p = Pointer.wrap(jnr.ffi.Runtime.getSystemRuntime(), addr);
        assertEquals((byte) 'b', p.getByte(2 * Syscalls.PAGE)); // fault the page in first
        directWrite(f, 2 * Syscalls.PAGE, Syscalls.PAGE, (byte) 'D');
        for (int i = 0; i < Syscalls.PAGE; i += 512) {
            assertEquals((byte) 'D', p.getByte(2 * Syscalls.PAGE + i), "mapping still shows stale data at " + i);
        }
        Syscalls.libc.munmap(addr, LEN);
        Syscalls.close(fd);
    }

    @Test
    void bufferedWriteIsSeenByDirectRead() throws Exception {
        Path f = fileOf("buffered-then-direct", (byte) 'c');
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(3 * Syscalls.PAGE);
            raf.write(filled(Syscalls.PAGE, (byte) 'B'));
        }
        assertArrayEquals(filled(Syscalls.PAGE, (byte) 'B'), directRead(f, 3 * Syscalls.PAGE, Syscalls.PAGE));
    }

    @Test
    void directWriteIsSeenByBufferedRead() throws Exception {
        Path f = fileOf("direct-then-buffered", (byte) 'd');
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            byte[] before = new byte[Syscalls.PAGE];
            raf.seek(4 * Syscalls.PAGE);
            raf.readFully(before); // the page is now in the page cache
            assertEquals('d', before[0]);
            directWrite(f, 4 * Syscalls.PAGE, Syscalls.PAGE, (byte) 'E');
            byte[] after = new byte[Syscalls.PAGE];
            raf.seek(4 * Syscalls.PAGE);
            raf.readFully(after);
            assertArrayEquals(filled(Syscalls.PAGE, (byte) 'E'), after, "buffered reader kept stale pages");
        }
        assertEquals(LEN, Files.size(m.source().resolve("direct-then-buffered")));
    }

    @Test
    void backingFileHoldsWhatEveryPathWrote() throws Exception {
        Path f = fileOf("all-paths", (byte) 'e');
        directWrite(f, 0, Syscalls.PAGE, (byte) '1');
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(Syscalls.PAGE);
            raf.write(filled(Syscalls.PAGE, (byte) '2'));
        }
        byte[] backing = Files.readAllBytes(m.source().resolve("all-paths"));
        assertEquals('1', backing[0]);
        assertEquals('2', backing[Syscalls.PAGE]);
        assertEquals('e', backing[2 * Syscalls.PAGE]);
    }
}
