package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.NotRunnable;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.io.FileIo;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Direct writes must invalidate pages another fd has mapped: after each O_DIRECT write, a live
 * MAP_SHARED mapping must show the new data, and every other block its last generation. Also
 * direct writes whose source buffer is a mapping of the same file, of the same page (generic/729's
 * livelock case) and of another page (generic/708).
 */
public final class DioWriteMmapRead implements HarnessTest {
    private static final int SIZE = 1 << 20;
    private static final int BLOCK = FileIo.DIO_ALIGN;

    @Override
    public String name() {
        return "arbiter/729";
    }

    @Override
    public String follows() {
        return "generic/729, generic/708, generic/647";
    }

    @Override
    public String checks() {
        return "O_DIRECT writes are visible through an existing shared mapping; DIO from a mapped buffer of the same file completes and is correct";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        if (!MmapProbe.usable(env)) {
            throw new NotRunnable("mmap(MAP_SHARED) refused by the mount options");
        }
        Path file = env.dir().resolve("dio-mmap");
        int blocks = SIZE / BLOCK;
        int[] genOf = new int[blocks];
        SplittableRandom rnd = Blocks.random(env, name());
        try (FileChannel buffered = FileIo.openBuffered(file); FileChannel direct = FileIo.openDirect(file)) {
            ByteBuffer scratch = FileIo.aligned(SIZE);
            Blocks.write(buffered, scratch, 0, SIZE, 1);
            java.util.Arrays.fill(genOf, 1);
            MappedByteBuffer map = FileIo.map(buffered, 0, SIZE);
            try {
                Blocks.expectMapped("mapped read of the buffered-written file", map, 0, 0, SIZE, 1);
                int rounds = 64 * env.settings().loadFactor();
                for (int r = 0; r < rounds; r++) {
                    int gen = r + 2;
                    int first = rnd.nextInt(blocks);
                    int count = 1 + rnd.nextInt(Math.min(16, blocks - first));
                    Blocks.write(direct, scratch, (long) first * BLOCK, count * BLOCK, gen);
                    for (int b = first; b < first + count; b++) {
                        genOf[b] = gen;
                    }
                    verifyAll(map, genOf, "round " + r + " (direct write of blocks " + first + ".." + (first + count - 1) + ")");
                }
                env.log().line("%d direct writes seen through the mapping", rounds);

                // DIO whose user buffer is the mapping of the very pages being written (729's livelock case)
                for (int r = 0; r < 16; r++) {
                    int b = rnd.nextInt(blocks);
                    FileIo.writeFully(direct, map.slice(b * BLOCK, BLOCK), (long) b * BLOCK);
                    verifyAll(map, genOf, "DIO write of block " + b + " from its own mapping");
                }
                // DIO from a mapped buffer of another page (708): the destination takes the source's bytes
                int src = 3;
                int dst = 200;
                ByteBuffer before = Blocks.copy(map, src * BLOCK, BLOCK);
                FileIo.writeFully(direct, map.slice(src * BLOCK, BLOCK), (long) dst * BLOCK);
                ByteBuffer after = Blocks.copy(map, dst * BLOCK, BLOCK);
                if (!before.equals(after)) {
                    throw new io.arbiterfs.harness.core.TestFailure("DIO write from mapped block " + src
                            + " to block " + dst + ": the mapping of block " + dst + " does not show the copied bytes");
                }
                env.log().line("DIO from mapped buffers (same page, other page) completed and verified");
            } finally {
                FileIo.unmap(map);
            }
        }
    }

    private static void verifyAll(MappedByteBuffer map, int[] genOf, String when) throws Exception {
        for (int b = 0; b < genOf.length; b++) {
            Blocks.expectMapped("mapped read after " + when, map, 0, (long) b * BLOCK, BLOCK, genOf[b]);
        }
    }
}
