package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.NotRunnable;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.Scan;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Parallel O_DIRECT writers on disjoint ranges of one file, each reading its range back direct,
 * buffered and through a shared mapping after every write (generic/418's dio-invalidate-cache idea,
 * which FUSE skips for want of a block device), while mmap readers scan the whole file: any torn,
 * stale or misplaced data is a failure.
 */
public final class DisjointDioMmapReaders implements HarnessTest {
    private static final int WRITERS = 4;
    private static final int RANGE = 256 * 1024;
    private static final int SIZE = RANGE * WRITERS;
    private static final int BLOCK = FileIo.DIO_ALIGN;

    @Override
    public String name() {
        return "arbiter/418";
    }

    @Override
    public String follows() {
        return "generic/418 (dio-invalidate-cache), generic/391";
    }

    @Override
    public String checks() {
        return "disjoint parallel DIO writers each see their data via direct, buffered and mmap reads; racing mmap readers see no stale/torn/misplaced data";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        boolean mmap = MmapProbe.usable(env);
        if (!mmap) {
            throw new NotRunnable("mmap(MAP_SHARED) refused by the mount options");
        }
        Path file = env.dir().resolve("disjoint");
        try (FileChannel ch = FileIo.openBuffered(file)) {
            Blocks.write(ch, FileIo.aligned(SIZE), 0, SIZE, 0);
        }
        int iterations = 30 * env.settings().loadFactor();
        AtomicIntegerArray done = new AtomicIntegerArray(WRITERS);
        AtomicIntegerArray started = new AtomicIntegerArray(WRITERS);
        AtomicIntegerArray finished = new AtomicIntegerArray(1);
        Workers w = new Workers();
        for (int t = 0; t < WRITERS; t++) {
            int id = t;
            long base = (long) id * RANGE;
            w.start("dio-writer-" + t, () -> {
                try (FileChannel direct = FileIo.openDirect(file); FileChannel buffered = FileIo.openBuffered(file)) {
                    ByteBuffer scratch = FileIo.aligned(RANGE);
                    MappedByteBuffer map = FileIo.map(buffered, base, RANGE);
                    try {
                        for (int gen = 1; gen <= iterations && w.running(); gen++) {
                            started.set(id, gen);
                            for (long off = base; off < base + RANGE; off += 64 * 1024) {
                                Blocks.write(direct, scratch, off, 64 * 1024, gen);
                            }
                            done.set(id, gen);
                            Blocks.expect("direct read-back, writer " + id + " gen " + gen, direct, scratch, base, RANGE, gen);
                            Blocks.expect("buffered read-back, writer " + id + " gen " + gen, buffered, scratch, base, RANGE, gen);
                            Blocks.expectMapped("mapped read-back, writer " + id + " gen " + gen, map, base, base, RANGE, gen);
                        }
                    } finally {
                        FileIo.unmap(map);
                        finished.incrementAndGet(0);
                    }
                }
            });
        }
        for (int r = 0; r < 2; r++) {
            w.start("mmap-reader-" + r, () -> {
                try (FileChannel ch = FileIo.openBuffered(file)) {
                    MappedByteBuffer map = FileIo.map(ch, 0, SIZE);
                    try {
                        while (w.running() && finished.get(0) < WRITERS) {
                            for (int b = 0; b < SIZE / BLOCK; b++) {
                                int owner = b * BLOCK / RANGE;
                                int min = done.get(owner);
                                ByteBuffer snap = Blocks.copy(map, b * BLOCK, BLOCK);
                                int max = started.get(owner);
                                Scan.check("mmap read of block " + b, snap, (long) b * BLOCK, BLOCK,
                                        ConcurrentBufferedDirect.window(min, max), false);
                            }
                        }
                    } finally {
                        FileIo.unmap(map);
                    }
                }
            });
        }
        w.join();
        env.log().line("%d writers x %d iterations verified, with mmap readers racing", WRITERS, iterations);
    }
}
