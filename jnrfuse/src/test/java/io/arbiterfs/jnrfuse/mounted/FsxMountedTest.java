package io.arbiterfs.jnrfuse.mounted;

import org.junit.jupiter.api.Tag;
import io.arbiterfs.harness.fsx.FsxStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's fsx stream, 100,000 operations (buffered, O_DIRECT and mapped reads and writes, truncates, fallocate,
 * punch hole, zero range, fsync, reopen; every read and the size checked against a model) on MemoryFS through the
 * bridge, libfuse hidden: no miscompare; and a fifth as many with every open direct ({@code -o direct_io}).
 * {@code -Darbiterfs.fsx.ops=N} and {@code -Darbiterfs.fsx.seed=N} change the count and the seed.
 */
@Tag("mount")
class FsxMountedTest {
    private static final long OPS = Long.getLong("arbiterfs.fsx.ops", 100_000);
    private static final long SEED = Long.getLong("arbiterfs.fsx.seed", 20_261_202);

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void fsxOnMemoryFsThroughTheBridge(@TempDir Path mountpoint) throws Exception {
        fsx(mountpoint, OPS);
    }

    /** libfuse 2's -o direct_io: every open direct, the mapped operations on direct-IO opens (allow_mmap). */
    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void fsxWithEveryOpenDirect(@TempDir Path mountpoint) throws Exception {
        fsx(mountpoint, OPS / 5, "direct_io");
    }

    private static void fsx(Path mountpoint, long ops, String... options) throws Exception {
        try (ChildMount m = ChildMount.bridge(mountpoint, FsxMemoryFS.class, options)) {
            StringBuilder log = new StringBuilder();
            new FsxStream(mountpoint.resolve("fsx-file"), Optional.empty(), FsxStream.Config.of(ops, SEED, true),
                    line -> log.append(line).append('\n')).run();
            System.out.println(log.toString().trim());
            Files.delete(mountpoint.resolve("fsx-file"));
            m.closeCleanly();
        }
    }
}
