package io.arbiterfs.harness.tests;

import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.FileIo;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Whether MAP_SHARED works on this mount, and whether a refusal is expected from its options. */
public final class MmapProbe {
    private MmapProbe() {}

    /**
     * Probes a shared writable map of a fresh file. Returns false (and logs why) when the map is
     * refused and the options say it must be (dio=always without allow_mmap); a refusal the options
     * do not explain, or success where refusal was expected, is a failure.
     */
    public static boolean usable(TestEnv env) throws IOException, TestFailure {
        Path probe = env.dir().resolve("mmap-probe");
        String error = null;
        try (FileChannel ch = FileIo.openBuffered(probe)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[4096]), 0);
            MappedByteBuffer m = FileIo.map(ch, 0, 4096);
            m.put(0, (byte) 1);
            m.force();
            FileIo.unmap(m);
        } catch (IOException e) {
            error = e.getMessage();
        } finally {
            java.nio.file.Files.deleteIfExists(probe);
        }
        boolean refusedByConfig = env.facts().sharedMmapRefused();
        if (error == null && refusedByConfig) {
            throw new TestFailure("mmap(MAP_SHARED) succeeded although dio=always without allow_mmap must refuse it (ENODEV)");
        }
        if (error != null && !refusedByConfig) {
            throw new TestFailure("mmap(MAP_SHARED) failed: " + error + " (" + env.facts().describe() + ")");
        }
        if (error != null) {
            env.log().line("mmap(MAP_SHARED) refused as configured (%s): mmap phases left out", error);
        }
        return error == null;
    }
}
