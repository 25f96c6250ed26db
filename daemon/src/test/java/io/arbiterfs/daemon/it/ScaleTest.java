package io.arbiterfs.daemon.it;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sparse files, big directories and concurrent directory operations through the mount. */
@Tag("mount")
class ScaleTest {
    @RegisterExtension
    static final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm();

    private static final long GIB = 1L << 30;

    @Test
    @Timeout(60)
    void sparseFiveGibFileShowsDataAndHolesThroughTheMount() throws IOException {
        Path f = fs.dir("sparse").resolve("big");
        byte[] block = new byte[4096];
        java.util.Arrays.fill(block, (byte) 0x5a);
        Files.createFile(f);
        Commands.run("truncate", "-s", "5G", f.toString()).ok();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            assertEquals(4096, ch.write(ByteBuffer.wrap(block), GIB));
            assertEquals(4096, ch.write(ByteBuffer.wrap(block), 4 * GIB));
        }
        assertEquals(5 * GIB, Files.size(f));
        assertEquals(5 * GIB, Files.size(fs.backing(f)));

        // SEEK_DATA/SEEK_HOLE go to the daemon as LSEEK and must report the backing layout
        Commands.Result r = Commands.run("xfs_io", "-r", "-c", "seek -a -r 0", f.toString()).ok();
        List<long[]> seen = new ArrayList<>(); // {0 = HOLE / 1 = DATA, offset}
        Matcher m = Pattern.compile("^(HOLE|DATA)\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(r.out());
        while (m.find()) {
            seen.add(new long[] {m.group(1).equals("DATA") ? 1 : 0, Long.parseLong(m.group(2))});
        }
        String layout = seen.stream().map(e -> (e[0] == 1 ? "DATA@" : "HOLE@") + e[1]).collect(Collectors.joining(" "));
        assertEquals("HOLE@0 DATA@" + GIB + " HOLE@" + (GIB + 4096) + " DATA@" + 4 * GIB + " HOLE@" + (4 * GIB + 4096),
                layout, "xfs_io seek output:\n" + r.out());

        // single probes, including past the last data (ENXIO)
        assertTrue(Commands.run("xfs_io", "-r", "-c", "seek -d " + (GIB + 4096), f.toString()).ok().out()
                .contains("DATA\t" + 4 * GIB), "next data after the first extent");
        assertTrue(Commands.run("xfs_io", "-r", "-c", "seek -h " + GIB, f.toString()).ok().out()
                .contains("HOLE\t" + (GIB + 4096)), "hole right after the first extent");
        String pastEnd = Commands.run("xfs_io", "-r", "-c", "seek -d " + (4 * GIB + 4096), f.toString()).out();
        assertTrue(pastEnd.contains("EOF"), "no data after the last extent: " + pastEnd);

        // the holes read as zeros and the data as written
        try (FileChannel ch = FileChannel.open(f)) {
            ByteBuffer b = ByteBuffer.allocate(8192);
            ch.read(b, GIB - 4096);
            for (int i = 0; i < 8192; i++) {
                assertEquals(i < 4096 ? 0 : 0x5a, b.get(i), "byte " + i + " around 1 GiB");
            }
        }

        // st_blocks stays small: two 4 KiB blocks (plus whatever metadata the backing fs counts)
        long blocks = Long.parseLong(Commands.run("stat", "-c", "%b", f.toString()).ok().out().strip());
        assertTrue(blocks * 512 <= 1 << 20, "5 GiB sparse file uses " + blocks + " blocks through the mount");
        assertTrue(blocks * 512 >= 8192, "the two written blocks must be counted: " + blocks);
        long duKib = Long.parseLong(Commands.run("du", "-k", f.toString()).ok().out().split("\\s+")[0]);
        assertTrue(duKib <= 1024, "du -k says " + duKib);
        Files.delete(f);
    }

    @Test
    @Timeout(120)
    void tenThousandEntryDirectoryIsListedCompletely() throws IOException {
        Path d = fs.dir("bigdir");
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            // varying lengths (6..205 bytes) so entries straddle readdir buffer boundaries in every way
            String name = String.format("%05d-", i) + "n".repeat(i % 200);
            expected.add(name);
            if (i % 10 == 0) {
                Files.createDirectory(d.resolve(name));
            } else {
                Files.createFile(d.resolve(name));
            }
        }
        try (Stream<Path> s = Files.list(d)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(10_000, names.size(), "Files.list count");
            assertEquals(expected, new HashSet<>(names), "exact name set");
        }
        // ls -f: unsorted, includes . and ..
        assertEquals("10002", Commands.sh("ls -f '" + d + "' | wc -l").ok().out().strip());
        // readdirplus path with attributes: ls -l reports every entry once
        assertEquals("1000", Commands.sh("ls -la '" + d + "' | grep -c '^d.* [0-9]*-n*$'").ok().out().strip());
        assertEquals("9000", Commands.sh("ls -la '" + d + "' | grep -c '^-'").ok().out().strip());
        assertEquals("10000", Commands.sh("find '" + d + "' -mindepth 1 | wc -l").ok().out().strip());
        // a second listing after the kernel cached everything gives the same answer
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(10_000, s.count());
        }
        // and the SOURCE agrees
        try (Stream<Path> s = Files.list(fs.backing(d))) {
            assertEquals(expected, s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    @Timeout(120)
    void eightThreadsCreateAndRenameInOneDirectory() throws Exception {
        Path d = fs.dir("concurrent");
        int threads = 8;
        int ops = 500;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < ops; i++) {
                        Path tmp = d.resolve("tmp-" + id + "-" + i);
                        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                            ch.write(ByteBuffer.wrap(content(id, i)));
                        }
                        Files.move(tmp, d.resolve("final-" + id + "-" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < ops; i++) {
                expected.add("final-" + t + "-" + i);
            }
        }
        for (Path dir : List.of(d, fs.backing(d))) {
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(expected, s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "names in " + dir);
            }
        }
        Map<String, String> wrong = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < ops; i++) {
                String want = new String(content(t, i), StandardCharsets.UTF_8);
                String name = "final-" + t + "-" + i;
                String got = Files.readString(d.resolve(name));
                String gotSource = Files.readString(fs.backing(d).resolve(name));
                if (!want.equals(got) || !want.equals(gotSource)) {
                    wrong.put(name, got + " / " + gotSource);
                }
            }
        }
        assertEquals(Map.of(), wrong, "files with unexpected content (mount / source)");
    }

    private static byte[] content(int thread, int i) {
        return ("thread " + thread + " op " + i + " " + "#".repeat(i % 97) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
