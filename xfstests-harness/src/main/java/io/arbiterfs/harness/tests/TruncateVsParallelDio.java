package io.arbiterfs.harness.tests;

import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.Access;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.Scan;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Truncates (down and back up) and hole punches racing parallel O_DIRECT writers and readers on
 * one file (generic/446's truncate/punch vs DIO race, with parallel direct writers): no call may
 * fail, nothing may hang, every word any reader sees must be zeros or data written for that offset,
 * and after the race direct, buffered and backing reads must agree byte for byte.
 */
public final class TruncateVsParallelDio implements HarnessTest {
    private static final int SIZE = 1 << 20;
    private static final int A = FileIo.DIO_ALIGN;
    private static final int WRITERS = 3;
    private static final int CHUNK = 16 * 1024;

    @Override
    public String name() {
        return "arbiter/446";
    }

    @Override
    public String follows() {
        return "generic/446 (truncate/punch racing DIO), generic/391";
    }

    @Override
    public String checks() {
        return "truncate and punch-hole racing parallel DIO writers/readers: no error, no hang, no misplaced data, modes agree afterwards";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        Path file = env.dir().resolve("truncate-race");
        try (FileChannel ch = FileIo.openBuffered(file)) {
            Blocks.write(ch, FileIo.aligned(SIZE), 0, SIZE, 1);
        }
        int rounds = 150 * env.settings().loadFactor();
        int maxGen = rounds + 1;
        Workers w = new Workers();
        int slice = SIZE / WRITERS / A * A;
        for (int t = 0; t < WRITERS; t++) {
            int id = t;
            w.start("dio-writer-" + t, () -> {
                SplittableRandom rnd = Blocks.random(env, name() + id);
                try (FileChannel direct = FileIo.openDirect(file)) {
                    ByteBuffer scratch = FileIo.aligned(CHUNK);
                    for (int gen = 2; gen <= maxGen && w.running(); gen++) {
                        long off = (long) id * slice + (long) rnd.nextInt((slice - CHUNK) / A) * A;
                        Blocks.write(direct, scratch, off, CHUNK, gen);
                    }
                }
            });
        }
        w.start("dio-reader", () -> {
            SplittableRandom rnd = Blocks.random(env, name() + "reader");
            try (FileChannel direct = FileIo.openDirect(file)) {
                ByteBuffer buf = FileIo.aligned(64 * 1024);
                while (w.running()) {
                    long off = (long) rnd.nextInt(SIZE / A) * A;
                    int n = FileIo.read(direct, buf.clear(), off);
                    Scan.check("direct read racing truncate", buf, off, n, ConcurrentBufferedDirect.window(1, maxGen), true);
                }
            }
        });
        w.start("truncator", () -> {
            SplittableRandom rnd = Blocks.random(env, name() + "truncator");
            int fd = FileIo.openFd(file, false);
            try {
                for (int r = 0; r < rounds && w.running(); r++) {
                    long down = (long) rnd.nextInt(SIZE / A) * A + (rnd.nextBoolean() ? rnd.nextInt(A) : 0);
                    FileIo.truncate(fd, down);
                    FileIo.truncate(fd, SIZE);
                    long hole = (long) rnd.nextInt(SIZE / A) * A;
                    try {
                        FileIo.fallocate(fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, hole, 4L * A);
                    } catch (FileIo.ErrnoException e) {
                        throw new TestFailure("punch hole failed (FALLOCATE is required): " + e.getMessage());
                    }
                }
            } finally {
                FileIo.close(fd);
                w.stop();
            }
        });
        w.join();
        // the race is over: every path must now tell the same story
        long size = java.nio.file.Files.size(file);
        ByteBuffer direct = Access.DIRECT.read(file, size);
        ByteBuffer buffered = Access.BUFFERED.read(file, size);
        if (!direct.equals(buffered)) {
            throw new TestFailure("after the race, direct and buffered reads differ at offset " + direct.mismatch(buffered));
        }
        if (env.backing(file).isPresent()) {
            ByteBuffer backing = Access.BACKING.read(env.backing(file).get(), size);
            if (!direct.equals(backing)) {
                throw new TestFailure("after the race, the mount and the backing file differ at offset " + direct.mismatch(backing));
            }
        }
        Scan.check("final read", direct, 0, (int) size, ConcurrentBufferedDirect.window(1, maxGen), true);
        env.log().line("%d truncate+punch rounds against %d parallel direct writers and a direct reader", rounds, WRITERS);
    }
}
