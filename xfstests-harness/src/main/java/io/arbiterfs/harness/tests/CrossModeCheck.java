package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.Access;
import io.arbiterfs.harness.io.Compare;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The closing verification of a workload: write a known generation through one access mode, then
 * read it back through every other mode and from the backing file, and again with the writer
 * rotated (direct, buffered, mmap). Any stale page, lost or misplaced WRITE shows up as a miscompare.
 */
public final class CrossModeCheck {
    private final TestEnv env;
    private final boolean mmap;

    /** @param mmap false when shared maps are refused by configuration (checked by {@link MmapProbe#usable}) */
    public CrossModeCheck(TestEnv env, boolean mmap) {
        this.env = env;
        this.mmap = mmap;
    }

    /** Runs the three rounds on {@code file} over {@code [0, len)}, generations firstGen..firstGen+2. */
    public void verify(Path file, long len, int firstGen) throws IOException, TestFailure {
        List<Access> writers = new ArrayList<>(List.of(Access.DIRECT, Access.BUFFERED));
        List<Access> readers = new ArrayList<>(List.of(Access.DIRECT, Access.BUFFERED));
        if (mmap) {
            writers.add(Access.MMAP);
            readers.add(Access.MMAP);
        }
        Optional<Path> backing = env.backing(file);
        if (backing.isPresent()) {
            readers.add(Access.BACKING);
        } else {
            env.log().line("backing file unknown: %s checked through the mount only", file.getFileName());
        }
        int gen = firstGen;
        for (Access writer : writers) {
            writer.writePattern(file, len, gen);
            for (Access reader : readers) {
                Path from = reader == Access.BACKING ? backing.get() : file;
                ByteBuffer got = reader.read(from, len);
                Compare.expectGeneration(String.format("%s written %s, read %s", file.getFileName(),
                        writer.name().toLowerCase(), reader.name().toLowerCase()), got, 0, (int) len, gen);
            }
            env.log().line("%s: generation %d written %s, read back identically via %s", file.getFileName(), gen,
                    writer.name().toLowerCase(), readers);
            gen++;
        }
    }
}
