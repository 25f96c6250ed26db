package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.LibAio;
import io.arbiterfs.harness.io.Pattern;
import io.arbiterfs.harness.io.Scan;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Direct writes must drop the cached pages (readahead included) of the range they write: a thread
 * streams buffered reads over the file to keep its pages cached while the main thread rewrites
 * random ranges with sync O_DIRECT writes (generic/209) and with AIO O_DIRECT writes (generic/208);
 * after each write returns, a buffered read of the range must show the new generation.
 */
public final class DirectWriteInvalidatesCache implements HarnessTest {
    private static final int BLOCK = FileIo.DIO_ALIGN;
    private static final int SIZE = 8 << 20;
    private static final int BLOCKS = SIZE / BLOCK;

    @Override
    public String name() {
        return "arbiter/209";
    }

    @Override
    public String follows() {
        return "generic/209, generic/208";
    }

    @Override
    public String checks() {
        return "sync and AIO O_DIRECT writes invalidate cached/readahead pages: the next buffered read returns the new data";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        Path file = env.dir().resolve("readahead");
        try (FileChannel ch = FileIo.openBuffered(file)) {
            Blocks.write(ch, FileIo.aligned(SIZE), 0, SIZE, 0);
        }
        boolean aio = LibAio.available();
        if (!aio) {
            env.log().line("libaio not available: only the sync direct-write half (209) runs");
        }
        int writes = 400 * env.settings().loadFactor();
        AtomicIntegerArray done = new AtomicIntegerArray(BLOCKS);
        AtomicIntegerArray started = new AtomicIntegerArray(BLOCKS);
        SplittableRandom rnd = Blocks.random(env, name());
        Workers w = new Workers();
        w.start("writer", () -> {
            int aioFd = aio ? LibAio.openDirect(file) : -1;
            try (FileChannel direct = FileIo.openDirect(file); FileChannel buffered = FileIo.openBuffered(file);
                 LibAio ctx = aio ? new LibAio(1) : null) {
                ByteBuffer scratch = FileIo.aligned(64 * BLOCK);
                for (int gen = 1; gen <= writes && w.running(); gen++) {
                    int first = rnd.nextInt(BLOCKS);
                    int count = 1 + rnd.nextInt(Math.min(64, BLOCKS - first));
                    long off = (long) first * BLOCK;
                    int len = count * BLOCK;
                    for (int b = first; b < first + count; b++) {
                        started.set(b, gen);
                    }
                    boolean viaAio = aio && gen % 2 == 0;
                    if (viaAio) {
                        ByteBuffer b = scratch.duplicate().clear().limit(len).slice();
                        Pattern.fill(b, off, len, gen);
                        ctx.submitAndWait(aioFd, new LibAio.Request(true, b, off));
                    } else {
                        Blocks.write(direct, scratch, off, len, gen);
                    }
                    for (int b = first; b < first + count; b++) {
                        done.set(b, gen);
                    }
                    Blocks.expect("buffered read after " + (viaAio ? "AIO" : "sync") + " direct write " + gen, buffered, scratch, off, len, gen);
                }
            } finally {
                if (aioFd >= 0) {
                    FileIo.close(aioFd);
                }
                w.stop();
            }
        });
        w.start("readahead-reader", () -> {
            try (FileChannel ch = FileIo.openBuffered(file)) {
                ByteBuffer buf = FileIo.aligned(256 * 1024);
                long off = 0;
                while (w.running()) {
                    // a read that starts after a direct write completed must not return older data
                    int[] min = new int[buf.capacity() / BLOCK];
                    for (int i = 0; i < min.length; i++) {
                        min[i] = done.get((int) ((off / BLOCK + i) % BLOCKS));
                    }
                    int n = FileIo.read(ch, buf.clear(), off);
                    final long base = off;
                    Scan.check("streaming buffered read", buf, base, n, new Scan.Window() {
                        @Override
                        public int min(long o) {
                            return min[(int) ((o - base) / BLOCK)];
                        }

                        @Override
                        public int max(long o) {
                            return started.get((int) (o / BLOCK));
                        }
                    }, false);
                    off = (off + n) % SIZE;
                }
            }
        });
        w.join();
        env.log().line("%d direct writes (%s), each followed by an exact buffered read-back", writes, aio ? "sync and AIO alternating" : "sync");
    }
}
