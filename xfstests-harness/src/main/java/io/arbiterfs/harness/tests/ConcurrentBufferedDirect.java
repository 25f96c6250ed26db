package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.io.Access;
import io.arbiterfs.harness.io.Compare;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.Scan;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A buffered writer, a direct writer, a buffered reader and a direct reader on one file at once
 * (generic/133's mix, which only checks for deadlock). Here the writers own alternate 64 KiB blocks
 * and check their own writes through the other mode; the readers check that every word they see is
 * data for its own offset of a generation that was possible; at the end all blocks must hold their
 * writer's last generation in every mode and in the backing file.
 */
public final class ConcurrentBufferedDirect implements HarnessTest {
    private static final int BLOCK = 64 * 1024;
    private static final int BLOCKS = 128;
    private static final int SIZE = BLOCK * BLOCKS;

    @Override
    public String name() {
        return "arbiter/133";
    }

    @Override
    public String follows() {
        return "generic/133";
    }

    @Override
    public String checks() {
        return "concurrent buffered+direct writers and readers on one 8 MiB file: no hang, no misplaced or stale data";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        Path file = env.dir().resolve("concurrent");
        int passes = 6 * env.settings().loadFactor();
        try (FileChannel ch = FileIo.openBuffered(file)) {
            Blocks.write(ch, FileIo.aligned(SIZE), 0, SIZE, 0);
        }
        // per block: last generation whose write completed, and the newest one started
        AtomicIntegerArray done = new AtomicIntegerArray(BLOCKS);
        AtomicIntegerArray started = new AtomicIntegerArray(BLOCKS);
        Workers w = new Workers();
        for (int parity = 0; parity < 2; parity++) {
            boolean directWriter = parity == 1;
            int first = parity;
            w.start(directWriter ? "direct-writer" : "buffered-writer", () -> {
                try (FileChannel mine = directWriter ? FileIo.openDirect(file) : FileIo.openBuffered(file);
                     FileChannel other = directWriter ? FileIo.openBuffered(file) : FileIo.openDirect(file)) {
                    ByteBuffer scratch = FileIo.aligned(BLOCK);
                    for (int gen = 1; gen <= passes && w.running(); gen++) {
                        for (int b = first; b < BLOCKS && w.running(); b += 2) {
                            started.set(b, gen);
                            Blocks.write(mine, scratch, (long) b * BLOCK, BLOCK, gen);
                            done.set(b, gen);
                            Blocks.expect((directWriter ? "buffered" : "direct") + " read of own block " + b + " pass " + gen,
                                    other, scratch, (long) b * BLOCK, BLOCK, gen);
                        }
                    }
                }
            });
        }
        for (boolean directReader : new boolean[] {false, true}) {
            w.start(directReader ? "direct-reader" : "buffered-reader", () -> {
                try (FileChannel ch = directReader ? FileIo.openDirect(file) : FileIo.openBuffered(file)) {
                    ByteBuffer scratch = FileIo.aligned(BLOCK);
                    long reads = 0;
                    while (w.running() && !(done.get(BLOCKS - 2) == passes && done.get(BLOCKS - 1) == passes)) {
                        int b = (int) (reads++ % BLOCKS);
                        int min = done.get(b);
                        ByteBuffer buf = scratch.duplicate().clear();
                        int n = FileIo.read(ch, buf, (long) b * BLOCK);
                        int max = started.get(b);
                        if (n != BLOCK) {
                            throw new io.arbiterfs.harness.core.TestFailure("short read of block " + b + ": " + n);
                        }
                        Scan.check((directReader ? "direct" : "buffered") + " read of block " + b, buf, (long) b * BLOCK, BLOCK,
                                window(min, max), false);
                    }
                }
            });
        }
        w.join();
        for (Access a : new Access[] {Access.DIRECT, Access.BUFFERED, Access.BACKING}) {
            Path from = a == Access.BACKING ? env.backing(file).orElse(null) : file;
            if (from != null) {
                Compare.expectGeneration("final " + a.name().toLowerCase() + " read", a.read(from, SIZE), 0, SIZE, passes);
            }
        }
        env.log().line("%d passes over %d blocks by each writer verified", passes, BLOCKS / 2);
    }

    static Scan.Window window(int min, int max) {
        return new Scan.Window() {
            @Override
            public int min(long offset) {
                return min;
            }

            @Override
            public int max(long offset) {
                return max;
            }
        };
    }
}
