package io.arbiterfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The interleaved schedule, the spread of repetitions and the comparison with passthrough_hp, without mounting anything. */
class BenchPeerTest {
    static Target target(String name) {
        return Bench.memoryTargets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** A cell with one successful repetition per IOPS value (busy CPUs fixed, so CPU µs/IO = busy × 1e6 ÷ IOPS). */
    static Cell cell(Target t, String job, double busy, double... iops) throws Exception {
        Cell c = new Cell("tmpfs", t, FioJob.named(job));
        for (double v : iops) {
            c.record(FioResult.parse(BenchReportTest.fio(v, 1L << 30, 100_000, 0), 0), 1.0, busy, Double.NaN);
        }
        return c;
    }

    @Test
    void everyRepetitionRunsEveryTargetOnceBeforeTheNext() {
        Target a = new Target("a", "A", Target.Kind.NATIVE, List.of(), j -> true);
        Target b = new Target("b", "B", Target.Kind.NATIVE, List.of(), j -> j.name().equals("randwrite-4k-psync"));
        Target c = new Target("c", "C", Target.Kind.NATIVE, List.of(), j -> true);
        List<FioJob> suite = List.of(FioJob.named("randwrite-4k-psync"), FioJob.named("randread-4k-psync"));
        List<String> order = Bench.schedule(List.of(a, b, c), suite, 3).stream()
                .map(s -> s.job().name().substring(4, 8) + "/" + s.repeat() + "/" + s.target().name()).toList();
        assertEquals(List.of(
                "writ/1/a", "writ/1/b", "writ/1/c", "writ/2/a", "writ/2/b", "writ/2/c", "writ/3/a", "writ/3/b", "writ/3/c",
                "read/1/a", "read/1/c", "read/2/a", "read/2/c", "read/3/a", "read/3/c"), order,
                "job by job; within a job A B C, A B C, A B C; a target without the job is skipped");
        assertTrue(Bench.schedule(List.of(a), suite, 0).isEmpty());
    }

    @Test
    void theSmokeKeepsTheRingTargetOnTheRing() {
        Map<String, Target> smoke = Bench.smokeTargets().stream().collect(Collectors.toMap(Target::name, t -> t));
        assertTrue(smoke.get(Bench.PEER_RING).ring(), "withJobs keeps the transport");
        assertEquals(List.of("io_uring"), smoke.get(Bench.PEER_RING).options());
        assertFalse(smoke.get(Bench.PEER).ring());
        assertTrue(smoke.get(Bench.PEER).jobs().test(FioJob.named(Bench.HEADLINE_JOB)));
        assertFalse(smoke.get(Bench.PEER).jobs().test(FioJob.named("randread-4k-psync")), "one job per target in the smoke");
        assertFalse(smoke.containsKey("parallel+1ms"));
        assertTrue(Bench.needsPassthroughHp(List.of(new Bench.Backing("tmpfs", null, Bench.smokeTargets()))));
        assertFalse(Bench.needsPassthroughHp(List.of(new Bench.Backing("ext4", null, Bench.diskTargets()))));
    }

    @Test
    void spreadIsTheLowestAndHighestRepetition() throws Exception {
        Cell c = cell(target(Bench.ARBITERFS), "randwrite-4k-psync", 1.8, 100_000, 80_000, 90_000);
        assertEquals(90_000, c.iops(), 1e-9);
        assertEquals(80_000, c.iopsMin(), 1e-9);
        assertEquals(100_000, c.iopsMax(), 1e-9);
        assertEquals("80,000–100,000", BenchReport.spread(c));
        assertEquals("–", BenchReport.spread(cell(target(Bench.ARBITERFS), "randwrite-4k-psync", 1.8, 100_000)), "one repetition has no spread");
        c.fail("fio exit 1");
        assertTrue(Double.isNaN(c.iopsMin()), "a failed repetition leaves no spread");
        assertTrue(Double.isNaN(c.iopsOfRun(3)));
        assertEquals(80_000, c.iopsOfRun(1), 1e-9);
    }

    @Test
    void ratiosComeFromTheSameRepetitionsAndToleratesAbsentTargets() throws Exception {
        String job = "randwrite-4k-psync";
        // repetition i of every target ran side by side: the per-repetition ratios are 0.9, 1.2, 1.0
        Cell hp = cell(target(Bench.PEER), job, 1.8, 100_000, 100_000, 100_000);
        Cell ring = cell(target(Bench.PEER_RING), job, 1.6, 200_000, 250_000, 230_000);
        Cell ours = cell(target(Bench.ARBITERFS), job, 1.9, 90_000, 120_000, 100_000);
        Cell read = cell(target(Bench.ARBITERFS), "randread-4k-psync", 1.9, 150_000, 150_000, 150_000);
        BenchReport report = new BenchReport(List.of(hp, ring, ours, read), Map.of());
        BenchReport.Ratio oursToHp = new BenchReport.Ratio(Bench.ARBITERFS, Bench.PEER);
        double[] range = BenchReport.ratioSpread(ours, hp);
        assertEquals(0.9, range[0], 1e-9);
        assertEquals(1.2, range[1], 1e-9);
        assertEquals("1.00× (0.90–1.20)", report.ratioText("tmpfs", oursToHp, job), "median ÷ median, per-repetition range");
        assertEquals("0.43× (0.43–0.48)", report.ratioText("tmpfs", new BenchReport.Ratio(Bench.ARBITERFS, Bench.PEER_RING), job));
        assertEquals("–", report.ratioText("tmpfs", new BenchReport.Ratio(Bench.ARBITERFS_RING, Bench.PEER_RING), job),
                "arbiterfs over io_uring did not run");

        String md = report.markdown();
        assertTrue(md.contains("### Side by side with passthrough_hp (tmpfs)"), md);
        assertTrue(md.contains("| job | passthrough_hp /dev/fuse | passthrough_hp io_uring | arbiterfs parallel |\n"), md);
        assertTrue(md.contains("| randwrite-4k-psync | 100.0k (100.0k–100.0k), 18.0 µs | 230.0k (200.0k–250.0k), 7.0 µs | 100.0k (90.0k–120.0k), 19.0 µs |"), md);
        assertFalse(md.contains("| randread-4k-psync |  |") || md.contains("| randread-4k-psync | – |"), "only the jobs the peer ran: " + md);
        assertTrue(md.contains("| job | parallel ÷ hp | parallel ÷ hp-uring |\n"), "ratios of absent targets are left out: " + md);
        assertTrue(md.contains("| randwrite-4k-psync | 1.00× (0.90–1.20) | 0.43× (0.43–0.48) |"), md);
        assertTrue(md.contains("| arbiterfs io_uring ÷ passthrough_hp io_uring, randwrite-4k-psync | – | ≥ 1.0× | not measured |"), md);
        assertTrue(md.contains("| machine CPU µs/IO, arbiterfs io_uring, randwrite-4k-psync | – | ≤ 7.0 (passthrough_hp io_uring) | not measured |"), md);
        assertTrue(md.contains("| arbiterfs /dev/fuse ÷ passthrough_hp /dev/fuse, randwrite-4k-psync | 1.00× | (reported) | |"), md);
    }

    @Test
    void theRingTargetsChecksAreJudgedOnceItRuns() throws Exception {
        String job = "randwrite-4k-psync";
        Target uring = new Target(Bench.ARBITERFS_RING, "arbiterfs io_uring", Target.Kind.ARBITERFS, Target.Transport.IO_URING,
                List.of("io_uring"), j -> true);
        List<Cell> cells = new ArrayList<>();
        cells.add(cell(target(Bench.PEER_RING), job, 1.6, 200_000, 200_000));
        cells.add(cell(target(Bench.ARBITERFS), job, 1.9, 100_000, 100_000));
        cells.add(cell(uring, job, 1.5, 250_000, 230_000));
        String md = new BenchReport(cells, Map.of()).markdown();
        assertTrue(md.contains("| job | uring ÷ hp-uring | uring ÷ parallel | parallel ÷ hp-uring |\n"), md);
        assertTrue(md.contains("| randwrite-4k-psync | 1.20× (1.15–1.25) | 2.40× (2.30–2.50) | 0.50× (0.50–0.50) |"), md);
        assertTrue(md.contains("| arbiterfs io_uring ÷ passthrough_hp io_uring, randwrite-4k-psync | 1.20× | ≥ 1.0× | met |"), md);
        assertTrue(md.contains("| arbiterfs io_uring ÷ arbiterfs /dev/fuse, randwrite-4k-psync | 2.40× | ≥ 1.8× | met |"), md);
        assertTrue(md.contains("| machine CPU µs/IO, arbiterfs io_uring, randwrite-4k-psync | 6.3 | ≤ 8.0 (passthrough_hp io_uring) | met |"), md);
        assertTrue(md.contains("| arbiterfs io_uring ÷ passthrough_hp io_uring, randread-4k-psync | – | ≥ 1.0× | not measured |"), md);
    }

    @Test
    void ringCompletionsPerIoAreReportedForRingTargetsOnly() throws Exception {
        Cell ring = new Cell("tmpfs", target(Bench.PEER_RING), FioJob.named("randwrite-4k-psync"));
        ring.record(FioResult.parse(BenchReportTest.fio(100_000, 1L << 30, 100_000, 0), 0), 1.0, 1.5, 262_400);
        assertEquals(262_400.0 / ((1L << 30) / 4096 + 256), ring.ringCompletionsPerIo(), 1e-9);
        assertTrue(Bench.line(ring).contains("ring CQEs/IO 1.00"), Bench.line(ring));
        Cell dev = cell(target(Bench.PEER), "randwrite-4k-psync", 1.5, 100_000);
        assertTrue(Double.isNaN(dev.ringCompletionsPerIo()));
        assertFalse(Bench.line(dev).contains("ring"), Bench.line(dev));
        String csv = new BenchReport(List.of(ring, dev), Map.of()).csv();
        assertTrue(csv.contains(",1.00,"), csv);
    }
}
