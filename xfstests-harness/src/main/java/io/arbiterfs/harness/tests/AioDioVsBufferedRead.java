package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.NotRunnable;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.LibAio;
import io.arbiterfs.harness.io.Pattern;
import io.arbiterfs.harness.io.Scan;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffered readers racing AIO O_DIRECT writes (generic/451's data-integrity case): each cycle
 * rewrites the whole file with a new generation as 16 direct writes submitted at once through
 * io_submit; once they complete, a buffered read must return exactly that generation (no stale
 * page). Two reader threads meanwhile check that whatever they see is in-place data no older than
 * the last completed cycle.
 */
public final class AioDioVsBufferedRead implements HarnessTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 16;
    private static final int SIZE = CHUNK * CHUNKS;

    @Override
    public String name() {
        return "arbiter/451";
    }

    @Override
    public String follows() {
        return "generic/451";
    }

    @Override
    public String checks() {
        return "after AIO O_DIRECT writes complete, buffered reads return the new data; racing buffered reads see no stale or misplaced data";
    }

    /** Tells a stale page cache from wrong data at the server: what O_DIRECT and a second buffered read see now. */
    private static String serverView(Path file, int completed) {
        try (FileChannel d = FileIo.openDirect(file); FileChannel b = FileIo.openBuffered(file)) {
            ByteBuffer buf = FileIo.aligned(4096);
            FileIo.read(d, buf, 0);
            String direct = io.arbiterfs.harness.io.Pattern.describe(buf.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0), 0);
            FileIo.read(b, buf.clear(), 0);
            String again = io.arbiterfs.harness.io.Pattern.describe(buf.getLong(0), 0);
            return "just after, with cycle " + completed + " complete: O_DIRECT read of offset 0 shows " + direct
                    + ", a new buffered read shows " + again;
        } catch (Exception e) {
            return "re-read failed: " + e.getMessage();
        }
    }

    @Override
    public void run(TestEnv env) throws Exception {
        if (!LibAio.available()) {
            throw new NotRunnable("libaio not installed (apt-get install libaio1)");
        }
        Path file = env.dir().resolve("aio-cycle");
        try (FileChannel ch = FileIo.openBuffered(file)) {
            Blocks.write(ch, FileIo.aligned(SIZE), 0, SIZE, 0);
        }
        int cycles = 100 * env.settings().loadFactor();
        AtomicInteger completed = new AtomicInteger(0);
        AtomicInteger started = new AtomicInteger(0);
        Workers w = new Workers();
        w.start("aio-writer", () -> {
            int fd = LibAio.openDirect(file);
            ByteBuffer[] bufs = new ByteBuffer[CHUNKS];
            for (int i = 0; i < CHUNKS; i++) {
                bufs[i] = FileIo.aligned(CHUNK);
            }
            try (LibAio aio = new LibAio(CHUNKS); FileChannel buffered = FileIo.openBuffered(file)) {
                ByteBuffer check = FileIo.aligned(SIZE);
                for (int gen = 1; gen <= cycles && w.running(); gen++) {
                    LibAio.Request[] reqs = new LibAio.Request[CHUNKS];
                    for (int i = 0; i < CHUNKS; i++) {
                        Pattern.fill(bufs[i], (long) i * CHUNK, CHUNK, gen);
                        reqs[i] = new LibAio.Request(true, bufs[i], (long) i * CHUNK);
                    }
                    started.set(gen);
                    aio.submitAndWait(fd, reqs);
                    completed.set(gen);
                    Blocks.expect("buffered read after AIO direct write cycle " + gen, buffered, check, 0, SIZE, gen);
                }
            } finally {
                FileIo.close(fd);
            }
        });
        for (int t = 0; t < 2; t++) {
            w.start("buffered-reader-" + t, () -> {
                try (FileChannel ch = FileIo.openBuffered(file)) {
                    ByteBuffer buf = FileIo.aligned(SIZE);
                    while (w.running() && completed.get() < cycles) {
                        int min = completed.get();
                        int n = FileIo.read(ch, buf.clear(), 0);
                        int max = started.get();
                        if (n != SIZE) {
                            throw new io.arbiterfs.harness.core.TestFailure("short buffered read: " + n);
                        }
                        try {
                            Scan.check("racing buffered read", buf, 0, SIZE, ConcurrentBufferedDirect.window(min, max), false);
                        } catch (io.arbiterfs.harness.core.TestFailure e) {
                            throw new io.arbiterfs.harness.core.TestFailure(e.getMessage() + "; " + serverView(file, completed.get()));
                        }
                    }
                }
            });
        }
        w.join();
        env.log().line("%d AIO direct-write cycles, each followed by an exact buffered read-back", cycles);
    }
}
