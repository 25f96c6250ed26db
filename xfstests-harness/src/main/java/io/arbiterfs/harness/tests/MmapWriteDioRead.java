package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.NotRunnable;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.io.Access;
import io.arbiterfs.harness.io.Compare;
import io.arbiterfs.harness.io.FileIo;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * mmap stores + msync racing O_DIRECT writes on disjoint regions of one file (generic/247's race):
 * after msync the mapped writer's data must be what a direct read returns, after a direct write the
 * direct writer's data must be what a mapping shows, and at the end every region holds its writer's
 * last generation through every access mode and in the backing file.
 */
public final class MmapWriteDioRead implements HarnessTest {
    private static final int REGION = 64 * 1024;
    private static final int REGIONS = 16;
    private static final int SIZE = REGION * REGIONS;

    @Override
    public String name() {
        return "arbiter/247";
    }

    @Override
    public String follows() {
        return "generic/247";
    }

    @Override
    public String checks() {
        return "mmap write + msync is seen by O_DIRECT reads and vice versa while both race on disjoint regions";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        if (!MmapProbe.usable(env)) {
            throw new NotRunnable("mmap(MAP_SHARED) refused by the mount options");
        }
        Path file = env.dir().resolve("mmap-dio");
        int iterations = 40 * env.settings().loadFactor();
        try (FileChannel buffered = FileIo.openBuffered(file)) {
            Blocks.write(buffered, FileIo.aligned(SIZE), 0, SIZE, 0);
        }
        Workers w = new Workers();
        // even regions: written through a shared mapping, checked by direct reads
        w.start("mmap-writer", () -> {
            try (FileChannel ch = FileIo.openBuffered(file); FileChannel direct = FileIo.openDirect(file)) {
                MappedByteBuffer map = FileIo.map(ch, 0, SIZE);
                ByteBuffer scratch = FileIo.aligned(REGION);
                try {
                    for (int gen = 1; gen <= iterations && w.running(); gen++) {
                        for (int r = 0; r < REGIONS; r += 2) {
                            io.arbiterfs.harness.io.Pattern.fill(map.slice(r * REGION, REGION), (long) r * REGION, REGION, gen);
                        }
                        map.force();
                        for (int r = 0; r < REGIONS; r += 2) {
                            Blocks.expect("direct read after msync, iteration " + gen, direct, scratch, (long) r * REGION, REGION, gen);
                        }
                    }
                } finally {
                    FileIo.unmap(map);
                }
            }
        });
        // odd regions: written O_DIRECT, checked through a mapping of their own
        w.start("dio-writer", () -> {
            try (FileChannel ch = FileIo.openBuffered(file); FileChannel direct = FileIo.openDirect(file)) {
                ByteBuffer scratch = FileIo.aligned(REGION);
                for (int gen = 1; gen <= iterations && w.running(); gen++) {
                    for (int r = 1; r < REGIONS; r += 2) {
                        Blocks.write(direct, scratch, (long) r * REGION, REGION, gen);
                    }
                    MappedByteBuffer map = FileIo.map(ch, 0, SIZE);
                    try {
                        for (int r = 1; r < REGIONS; r += 2) {
                            Blocks.expectMapped("mapped read after direct write, iteration " + gen, map, 0, (long) r * REGION, REGION, gen);
                        }
                    } finally {
                        FileIo.unmap(map);
                    }
                }
            }
        });
        w.join();
        for (Access a : new Access[] {Access.DIRECT, Access.BUFFERED, Access.MMAP, Access.BACKING}) {
            Path from = a == Access.BACKING ? env.backing(file).orElse(null) : file;
            if (from == null) {
                continue;
            }
            ByteBuffer all = a.read(from, SIZE);
            Compare.expectGeneration("final " + a.name().toLowerCase() + " read", all, 0, SIZE, iterations);
        }
        env.log().line("%d iterations of racing mmap and direct writers verified", iterations);
    }
}
