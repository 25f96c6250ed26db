package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.Compare;
import io.arbiterfs.harness.io.FileIo;
import io.arbiterfs.harness.io.Pattern;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.SplittableRandom;

/** Pattern writes and exact read-backs of file ranges, shared by the coherence tests. */
final class Blocks {
    private Blocks() {}

    /** A random stream for one test: the run's seed mixed with the test's name, so tests differ but replay. */
    static SplittableRandom random(TestEnv env, String salt) {
        return new SplittableRandom(env.settings().seed() * 0x9E3779B97F4A7C15L + salt.hashCode());
    }

    /** Writes generation {@code gen} over {@code [off, off + len)} through {@code ch}; scratch must hold len (aligned for O_DIRECT). */
    static void write(FileChannel ch, ByteBuffer scratch, long off, int len, int gen) throws IOException {
        ByteBuffer b = scratch.duplicate().clear().limit(len).slice();
        Pattern.fill(b, off, len, gen);
        FileIo.writeFully(ch, b, off);
    }

    /** Reads {@code [off, off + len)} through {@code ch} and fails unless it is exactly generation {@code gen}. */
    static void expect(String what, FileChannel ch, ByteBuffer scratch, long off, int len, int gen)
            throws IOException, TestFailure {
        ByteBuffer b = scratch.duplicate().clear().limit(len).slice();
        int n = FileIo.read(ch, b, off);
        if (n != len) {
            throw new TestFailure(String.format("%s: read %d of %d bytes at offset %d", what, n, len, off));
        }
        Compare.expectGeneration(what, b, off, len, gen);
    }

    /** As {@link #expect} for a range of a mapping that starts at file offset {@code mapStart}. */
    static void expectMapped(String what, MappedByteBuffer map, long mapStart, long off, int len, int gen) throws TestFailure {
        Compare.expectGeneration(what, map.slice((int) (off - mapStart), len), off, len, gen);
    }

    /** Copies a mapped range out (so a racing check reads a snapshot, not live memory). */
    static ByteBuffer copy(MappedByteBuffer map, int at, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(0, map, at, len);
        return b;
    }
}
