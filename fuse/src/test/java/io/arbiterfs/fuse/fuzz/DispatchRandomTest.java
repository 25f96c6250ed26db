package io.arbiterfs.fuse.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fuzz harness in every CI run without Jazzer's engine: the seed corpus plus a bounded number
 * of random mutations of it (byte flips, splices, truncations, random tails), from a fixed seed so
 * a failure replays. Also checks that the heap does not grow with the number of requests.
 */
class DispatchRandomTest {
    private static final int EXECUTIONS = 150_000;
    private static final long SEED = 0x5eed_f00dL;

    static List<byte[]> corpus() throws IOException {
        Path dir = Path.of("src/test/resources/io/arbiterfs/fuse/fuzz/DispatchFuzzTestInputs/dispatch");
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                seeds.add(Files.readAllBytes(p));
            }
        }
        assertTrue(seeds.size() >= 20, "seed corpus missing from " + dir.toAbsolutePath());
        return seeds;
    }

    static byte[] mutate(byte[] seed, byte[] other, Random r) {
        byte[] b = seed.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                for (int i = 0, n = 1 + r.nextInt(4); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = (byte) new int[] {0, 0xff, 0x7f, 0x80, '/', '.', 1}[r.nextInt(7)];
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            case 3 -> {
                byte[] joined = java.util.Arrays.copyOf(b, b.length + other.length);
                System.arraycopy(other, 0, joined, b.length, other.length);
                b = joined;
            }
            default -> {
                byte[] tail = new byte[r.nextInt(512)];
                r.nextBytes(tail);
                byte[] joined = java.util.Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, joined, b.length, tail.length);
                b = joined;
            }
        }
        return b;
    }

    @Test
    @Timeout(120)
    void seedsAndRandomMutationsAllGetAnswersAndTheHeapStaysFlat() throws IOException {
        DispatchHarness h = new DispatchHarness();
        List<byte[]> seeds = corpus();
        seeds.forEach(h::run);
        Random r = new Random(SEED);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long baseline = 0;
        for (int i = 0; i < EXECUTIONS; i++) {
            if (i == EXECUTIONS / 10) {
                System.gc();
                baseline = mem.getHeapMemoryUsage().getUsed();
            }
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), seeds.get(r.nextInt(seeds.size())), r);
            try {
                h.run(input);
            } catch (AssertionError e) {
                throw new AssertionError("execution " + i + " (seed " + SEED + "), input " + java.util.HexFormat.of().formatHex(input), e);
            }
        }
        System.gc();
        long grown = mem.getHeapMemoryUsage().getUsed() - baseline;
        // each input runs on a fresh file system: nothing may accumulate across executions
        assertTrue(grown < 32L << 20, "heap grew by " + (grown >> 20) + " MiB over " + EXECUTIONS + " executions");
    }
}
