package io.arbiterfs.jnrfuse.mounted;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.examples.MemoryFS;

/**
 * MAP_SHARED on a file opened O_DIRECT, on jnr-fuse's MemoryFS: through the bridge the open gets FOPEN_DIRECT_IO and
 * the mount FUSE_DIRECT_IO_ALLOW_MMAP, so the mapping works and its stores reach the file system; on stock jnr-fuse
 * the only direct IO there is ({@code -o direct_io}) makes the kernel refuse the mapping with ENODEV.
 */
@Tag("mount")
class DirectMmapMountedTest {
    private static final LibC LIBC = LibC.Holder.LIBC;
    private static final byte[] STORED = "stored through a shared mapping".getBytes(StandardCharsets.US_ASCII);
    private Path mountpoint;

    @BeforeEach
    void mountpoint() throws IOException {
        mountpoint = Files.createTempDirectory("jnrfuse-mmap");
    }

    @AfterEach
    void removeMountpoint() throws IOException {
        Files.deleteIfExists(mountpoint);
    }

    /** Opens {@code file} O_RDWR|O_DIRECT and maps its first page MAP_SHARED; 0 and the stores done, or the errno. */
    private static int mapDirectOpenAndStore(Path file) {
        int fd = LIBC.open(file.toString(), LibC.O_RDWR | LibC.O_DIRECT, 0);
        assertTrue(fd >= 0, "open O_DIRECT failed: errno " + LibC.Holder.errno());
        try {
            long at = LIBC.mmap(null, 4096, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            if (at == -1) {
                return LibC.Holder.errno();
            }
            Pointer page = Pointer.wrap(Runtime.getSystemRuntime(), at);
            page.put(0, STORED, 0, STORED.length);
            assertEquals(0, LIBC.msync(at, 4096, LibC.MS_SYNC), "msync: errno " + LibC.Holder.errno());
            assertEquals(0, LIBC.munmap(at, 4096));
            return 0;
        } finally {
            LIBC.close(fd);
        }
    }

    private void storesReachTheFileSystem(ChildMount m) throws Exception {
        Path file = mountpoint.resolve("mapped.bin");
        Files.write(file, new byte[4096]);
        assertEquals(0, mapDirectOpenAndStore(file), m.log());
        byte[] back = Files.readAllBytes(file);
        assertEquals(4096, back.length);
        assertEquals(new String(STORED, StandardCharsets.US_ASCII),
                new String(Arrays.copyOf(back, STORED.length), StandardCharsets.US_ASCII), "the mapping's stores were written back");
    }

    @Test
    void onTheBridgeAnODirectOpenCanBeMappedShared() throws Exception {
        try (ChildMount m = ChildMount.bridge(mountpoint, MemoryFS.class)) {
            storesReachTheFileSystem(m);
            m.closeCleanly();
        }
    }

    @Test
    void onTheBridgeEvenLibfuseStyleDirectIoOnEveryOpenCanBeMapped() throws Exception {
        try (ChildMount m = ChildMount.bridge(mountpoint, MemoryFS.class, "direct_io")) {
            storesReachTheFileSystem(m);
            m.closeCleanly();
        }
    }

    @Test
    void onStockJnrFuseDirectIoRefusesSharedMappingsWithEnodev() throws Exception {
        try (ChildMount m = ChildMount.stock(mountpoint, MemoryFS.class, "direct_io")) {
            Path file = mountpoint.resolve("mapped.bin");
            Files.write(file, new byte[4096]);
            int errno = mapDirectOpenAndStore(file);
            assertNotEquals(0, errno, "stock jnr-fuse mapped a direct_io file");
            assertEquals(LibC.ENODEV, errno);
            m.closeCleanly();
        }
    }
}
