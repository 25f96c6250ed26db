package io.arbiterfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fio JSON parsing, medians, ratios and the report files, without mounting anything. */
class BenchReportTest {
    static String fio(double writeIops, long writeBytes, double p99ns, int group2Iops) {
        return "note: fio says hello\n{\"jobs\":[{\"jobname\":\"randwrite\",\"groupid\":0,\"error\":0,"
                + "\"read\":{\"io_bytes\":0,\"iops\":0,\"bw_bytes\":0},"
                + "\"write\":{\"io_bytes\":" + writeBytes + ",\"total_ios\":" + writeBytes / 4096 + ",\"iops\":" + writeIops
                + ",\"bw_bytes\":" + (writeIops * 4096)
                + ",\"clat_ns\":{\"percentile\":{\"50.000000\":1000,\"99.000000\":" + p99ns + "}}}},"
                + "{\"jobname\":\"mmap-writer\",\"groupid\":1,\"error\":0,\"read\":{\"io_bytes\":0},"
                + "\"write\":{\"io_bytes\":" + (1L << 20) + ",\"total_ios\":256,\"iops\":" + group2Iops + ",\"bw_bytes\":1,"
                + "\"clat_ns\":{\"percentile\":{\"99.000000\":9.0E9}}}}]}";
    }

    @Test
    void parsesTheReportedGroupAndCountsAllBytes() throws Exception {
        FioResult r = FioResult.parse(fio(1000, 1L << 30, 250_000, 77), 0);
        assertTrue(r.ok());
        assertEquals(1000, r.iops(), 1e-9);
        assertEquals(250, r.p99Micros(), 1e-9, "p99 of group 0 only, in µs");
        assertEquals((1L << 30) + (1L << 20), r.bytesMoved(), "CPU per GiB counts every group's bytes");
        assertEquals((1L << 30) / 4096 + 256, r.ios(), "ring CQEs per IO count every group's IOs");
        assertFalse(FioResult.parse("{\"jobs\":[{\"error\":5,\"jobname\":\"x\"}]}", 0).ok());
        assertFalse(FioResult.parse("garbage", 0).ok());
    }

    @Test
    void mediansRatiosAndFiles(@TempDir Path dir) throws Exception {
        List<Target> targets = Bench.memoryTargets();
        Target nat = targets.get(0);
        Target par = targets.get(1);
        FioJob job = FioJob.named(Bench.HEADLINE_JOB);
        Cell n = new Cell("tmpfs", nat, job);
        Cell p = new Cell("tmpfs", par, job);
        for (double iops : new double[] {600_000, 620_000}) {
            n.record(FioResult.parse(fio(iops, 1L << 30, 5_000, 0), 0), Double.NaN, 2.0, Double.NaN);
        }
        for (double iops : new double[] {90_000, 100_000, 95_000}) {
            p.record(FioResult.parse(fio(iops, 1L << 30, 200_000, 0), 0), 2.0, 1.9, Double.NaN);
        }
        Target ser = targets.stream().filter(t -> t.name().equals("serial")).findFirst().orElseThrow();
        Cell s = new Cell("tmpfs", ser, job);
        s.record(FioResult.parse(fio(50_000, 1L << 30, 100_000, 0), 0), 1.0, 1.2, Double.NaN);
        assertEquals(610_000, n.iops(), 1e-6, "median of two is their mean");
        assertEquals(95_000, p.iops(), 1e-6);
        assertEquals(2.0 / ((double) ((1L << 30) + (1L << 20)) / (1L << 30)), p.cpuSecondsPerGiB(), 1e-9);
        assertTrue(Double.isNaN(n.cpuSecondsPerGiB()), "no daemon, no CPU figure");
        Map<String, String> header = new LinkedHashMap<>();
        header.put("kernel", "test");
        assertEquals(20.0, p.machineMicrosPerIo(), 1e-9, "1.9 busy CPUs at 95,000 IOPS (the median run)");
        BenchReport report = new BenchReport(List.of(n, p, s), header);
        assertEquals(95_000 / 610_000.0, report.ratioToNative(p), 1e-9);
        report.write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| randwrite-4k-psync | arbiterfs parallel | 95,000 | 90,000–100,000 |"), md);
        assertTrue(md.contains("| randwrite-4k-psync | arbiterfs serial (noparallel_dio) | 50,000 | – |"), md);
        assertTrue(md.contains("| parallel IOPS | 95,000 |"), md);
        double ceiling = Bench.CPUS * 1e6 / 20.0 / 50_000;
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "parallel ÷ serial ≤ %.2f×", ceiling)), md);
        assertTrue(md.contains("serial run already keeps 1.20 CPUs busy"), md);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(2).startsWith("tmpfs,parallel,\"noio_uring\",randwrite-4k-psync,95000,90000,100000,"), csv.get(2));
        assertFalse(md.contains("passthrough_hp"), "no peer target ran: no peer section");
        assertTrue(Files.size(dir.resolve("bench.png")) > 1000, "chart written");
    }

    @Test
    void jobFilesAreWhatTheSuiteSays() {
        String j = FioJob.named("randwrite-4k-libaio16").jobFile("/mnt/x", 8);
        assertTrue(j.contains("filename=/mnt/x/bench.dat\nsize=256m\ndirect=1\ntime_based=1\nruntime=8\n"), j);
        assertTrue(j.contains("ioengine=libaio\niodepth=16\nnumjobs=4\n"), j);
        assertTrue(FioJob.named("randwrite-4k-psync-buf").jobFile("/d", 1).contains("direct=0"));
        assertTrue(FioJob.named("randwrite-4k+mmap").jobFile("/d", 1).contains("new_group\n"));
        assertEquals(16, FioJob.suite().size());
    }
}
