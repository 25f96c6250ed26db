package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.Compare;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.Pattern;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Buffered write then direct read, and direct write then buffered read, on one file held open both
 * ways (generic/130's coherency part): unaligned buffered writes must be visible to the next O_DIRECT
 * read of the enclosing blocks, aligned direct writes to the next buffered read of any sub-range;
 * direct reads at an unaligned EOF return exactly the bytes up to EOF; direct writes past EOF extend
 * the file. Every read is checked against an in-memory copy of the file.
 */
public final class BufferedDirectCoherence implements HarnessTest {
    private static final int MAX = 1 << 20;
    private static final int A = FileIo.DIO_ALIGN;

    @Override
    public String name() {
        return "arbiter/130";
    }

    @Override
    public String follows() {
        return "generic/130 (coherency, direct IO at EOF)";
    }

    @Override
    public String checks() {
        return "buffered writes are seen by the next O_DIRECT read and direct writes by the next buffered read; direct IO at and past EOF";
    }

    @Override
    public void run(TestEnv env) throws Exception {
        Path file = env.dir().resolve("buffered-direct");
        SplittableRandom rnd = Blocks.random(env, name());
        byte[] model = new byte[MAX + A];
        long size = 0;
        ByteBuffer scratch = FileIo.aligned(MAX + A);
        int rounds = 300 * env.settings().loadFactor();
        try (FileChannel buffered = FileIo.openBuffered(file); FileChannel direct = FileIo.openDirect(file)) {
            for (int r = 1; r <= rounds; r++) {
                int gen = r;
                if (rnd.nextBoolean()) {
                    // unaligned buffered write, then direct read of the aligned blocks around it
                    int off = rnd.nextInt(MAX - 1);
                    int len = 1 + rnd.nextInt(Math.min(64 * 1024, MAX - off));
                    ByteBuffer b = scratch.duplicate().clear().limit(len).slice();
                    Pattern.fill(b, off, len, gen);
                    FileIo.writeFully(buffered, b, off);
                    Pattern.fill(model, off, off, len, gen);
                    size = Math.max(size, off + len);
                    long start = off / A * A;
                    long end = Math.min(roundUp(off + len), roundUp(size));
                    check("direct read after buffered write " + r, direct, scratch, model, size, start, (int) (end - start));
                } else {
                    // aligned direct write (possibly past EOF), then buffered read of an unaligned sub-range
                    int off = rnd.nextInt(MAX / A) * A;
                    int len = (1 + rnd.nextInt(Math.min(16, (MAX - off) / A))) * A;
                    ByteBuffer b = scratch.duplicate().clear().limit(len).slice();
                    Pattern.fill(b, off, len, gen);
                    FileIo.writeFully(direct, b, off);
                    Pattern.fill(model, off, off, len, gen);
                    size = Math.max(size, off + len);
                    long sub = off + rnd.nextInt(len);
                    int subLen = 1 + rnd.nextInt((int) (off + len - sub));
                    check("buffered read after direct write " + r, buffered, scratch, model, size, sub, subLen);
                }
                if (buffered.size() != size) {
                    throw new TestFailure("after round " + r + " the file is " + buffered.size() + " bytes, expected " + size);
                }
                if (r % 50 == 0) {
                    // direct read of the last block when EOF is unaligned: exactly the bytes up to EOF
                    long last = (size - 1) / A * A;
                    check("direct read at EOF (size " + size + ")", direct, scratch, model, size, last, 4 * A);
                }
            }
            check("final direct read", direct, scratch, model, size, 0, (int) roundUp(size));
            check("final buffered read", buffered, scratch, model, size, 0, (int) size);
        }
        env.log().line("%d rounds of alternating buffered/direct writes and reads verified", rounds);
    }

    private static long roundUp(long v) {
        return (v + A - 1) / A * A;
    }

    /** Reads [off, off+len) and compares with the model; a read crossing EOF must stop exactly at EOF. */
    private static void check(String what, FileChannel ch, ByteBuffer scratch, byte[] model, long size, long off, int len)
            throws Exception {
        ByteBuffer b = scratch.duplicate().clear().limit(len).slice();
        int n = FileIo.read(ch, b, off);
        int want = (int) Math.max(0, Math.min(len, size - off));
        if (n != want) {
            throw new TestFailure(String.format("%s: read %d bytes at offset %d, expected %d (file size %d)", what, n, off, want, size));
        }
        for (int i = 0; i < n; i++) {
            if (b.get(i) != model[(int) off + i]) {
                byte[] exp = java.util.Arrays.copyOfRange(model, (int) off + i, (int) off + Math.min(n, i + 16));
                byte[] act = new byte[exp.length];
                b.get(i, act);
                throw new TestFailure(String.format("%s: miscompare at offset %d%n  expected: %s%n  actual:   %s%n  found %s",
                        what, off + i, Compare.hex(exp), Compare.hex(act), describeAt(b, off, i)));
            }
        }
    }

    private static String describeAt(ByteBuffer b, long off, int i) {
        int w = (int) (((off + i) & ~7L) - off);
        if (w < 0 || w + 8 > b.limit()) {
            return "(partial word)";
        }
        return Pattern.describe(b.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(w), off + w);
    }
}
