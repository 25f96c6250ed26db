package io.arbiterfs.harness.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.NotRunnable;
import io.arbiterfs.harness.core.TestEnv;
import io.arbiterfs.harness.core.TestFailure;
import io.arbiterfs.harness.io.Access;
import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * generic/095's workload (the same nine fio jobs: direct sync reads; libaio, posixaio and splice
 * direct writes; buffered reads, posixaio and splice writes; mmap writes; mmap with msync+drop) on
 * two 512 KiB files, with what 095 leaves out: every fio process must have run its full 1 MiB and
 * ended with error 0 (095 ignores EIO and never checks that the mmap jobs ran), and afterwards the
 * files must read back consistently through every access mode.
 */
public final class Fio095 implements HarnessTest {
    static final String[] ENGINES = {"sync", "libaio", "posixaio", "splice", "mmap"};
    static final int JOBS = 9;
    static final long BYTES_PER_PROCESS = 1 << 20;
    static final long FILE_SIZE = 512 * 1024;

    @Override
    public String name() {
        return "arbiter/095";
    }

    @Override
    public String follows() {
        return "generic/095";
    }

    @Override
    public String checks() {
        return "fio mixed direct/buffered/aio/splice/mmap IO: all 9x5xLOAD_FACTOR processes complete 1 MiB with error 0; contents consistent across modes afterwards";
    }

    @Override
    public Duration timeout(io.arbiterfs.harness.core.Settings settings) {
        return Duration.ofMinutes(5).multipliedBy(settings.loadFactor());
    }

    @Override
    public void run(TestEnv env) throws Exception {
        String missing = Tools.ensureFio();
        if (missing != null) {
            throw new NotRunnable(missing);
        }
        Tools.Result help = Tools.run(List.of("fio", "--enghelp"), null, Duration.ofSeconds(30));
        for (String engine : ENGINES) {
            if (!help.stdout().lines().map(String::strip).toList().contains(engine)) {
                throw new NotRunnable("fio lacks the " + engine + " engine");
            }
        }
        boolean mmap = MmapProbe.usable(env);
        if (!mmap) {
            throw new NotRunnable("mmap(MAP_SHARED) refused by the mount options; 095's mmap jobs cannot run");
        }
        if (env.facts().directMmapRefused()) {
            // job9 maps a file it opened O_DIRECT: ENODEV by design without allow_mmap (the 095 blind spot)
            throw new NotRunnable("noallow_mmap: MAP_SHARED of O_DIRECT opens fails (ENODEV), so 095's job9 cannot run");
        }
        probeDirectIo(env);

        int lf = env.settings().loadFactor();
        Path jobFile = env.dir().resolve("095.fio");
        Files.writeString(jobFile, jobFile(env.dir(), lf));
        Path json = env.log().file().resolveSibling(env.log().file().getFileName().toString().replace(".full", ".fio.json"));
        env.log().raw(Files.readString(jobFile));
        Tools.Result r = Tools.run(List.of("fio", "--output-format=json", "--output=" + json, jobFile.toString()),
                env.dir(), timeout(env.settings()).minusSeconds(30));
        env.log().line("fio exit status %d", r.status());
        if (!r.stderr().isBlank()) {
            env.log().raw("fio stderr:\n" + r.stderr());
        }
        if (r.timedOut()) {
            throw new TestFailure("fio did not finish within " + timeout(env.settings()).minusSeconds(30).toSeconds() + " s (hang?)");
        }
        List<String> problems = new ArrayList<>();
        if (r.status() != 0) {
            problems.add("fio exited with status " + r.status());
        }
        r.stderr().lines().filter(l -> !l.isBlank()).limit(5).forEach(l -> problems.add("fio stderr: " + l));
        if (Files.exists(json)) {
            problems.addAll(checkJobs(new ObjectMapper().readTree(json.toFile()), 5 * lf, env));
        } else {
            problems.add("fio wrote no JSON report");
        }
        if (!problems.isEmpty()) {
            throw new TestFailure(String.join("\n", problems));
        }
        CrossModeCheck check = new CrossModeCheck(env, mmap);
        check.verify(env.dir().resolve("file1"), FILE_SIZE, 1);
        check.verify(env.dir().resolve("file2"), FILE_SIZE, 11);
    }

    /** 095 requires O_DIRECT with a 20 KiB direct write; on arbiterfs it must work, so failure is a failure. */
    private static void probeDirectIo(TestEnv env) throws IOException, TestFailure {
        Path probe = env.dir().resolve("odirect-probe");
        try {
            Access.DIRECT.writePattern(probe, 20 * 1024, 1);
        } catch (IOException e) {
            throw new TestFailure("O_DIRECT 20 KiB write failed: " + e.getMessage());
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The job file: the engines, directions and block sizes of generic/095 (facts from its description). */
    static String jobFile(Path dir, int lf) {
        String[][] jobs = {
            // name, engine, direct, rw, bs
            {"job1", "sync", "1", "randread", "4k"},
            {"job2", "libaio", "1", "randwrite", "8k"},
            {"job3", "posixaio", "1", "randwrite", "4k"},
            {"job4", "splice", "1", "randwrite", "8k"},
            {"job5", "sync", "0", "randread", "1k"},
            {"job6", "posixaio", "0", "randwrite", "8k"},
            {"job7", "splice", "0", "randwrite", "8k"},
            {"job8", "mmap", "0", "randwrite", "1k"},
            // fio's mmap engine emulates direct=1 with msync(MS_SYNC) + madvise(DONTNEED) per write
            {"job9", "mmap", "1", "randwrite", "4k"},
        };
        StringBuilder s = new StringBuilder();
        s.append("[global]\n")
                .append("directory=").append(dir).append('\n')
                .append("filename=file1:file2\n")
                .append("size=1m\n")
                .append("randrepeat=1\n")
                .append("bs=8k\n")
                .append("numjobs=").append(5 * lf).append('\n')
                .append("iodepth=").append(16 * lf).append('\n')
                .append("iodepth_batch=").append(8 * lf).append('\n');
        for (String[] j : jobs) {
            s.append("\n[").append(j[0]).append("]\n")
                    .append("ioengine=").append(j[1]).append('\n')
                    .append("direct=").append(j[2]).append('\n')
                    .append("rw=").append(j[3]).append('\n')
                    .append("bs=").append(j[4]).append('\n');
        }
        return s.toString();
    }

    /** Every job section must show {@code processes} entries, each with error 0 and the full 1 MiB done. */
    static List<String> checkJobs(JsonNode report, int processes, TestEnv env) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> count = new TreeMap<>();
        long errors = 0;
        for (JsonNode job : report.path("jobs")) {
            String name = job.path("jobname").asText();
            count.merge(name, 1, Integer::sum);
            long err = job.path("error").asLong();
            long totalErr = job.path("total_err").asLong();
            long read = job.path("read").path("io_bytes").asLong();
            long write = job.path("write").path("io_bytes").asLong();
            if (env != null) {
                env.log().line("%s: error=%d total_err=%d read=%d write=%d", name, err, totalErr, read, write);
            }
            if (err != 0 || totalErr != 0) {
                errors++;
                problems.add(String.format("%s: error %d (%s), %d IO errors", name, err, errnoName(err), totalErr));
            }
            if (read + write != BYTES_PER_PROCESS) {
                problems.add(String.format("%s: did %d bytes of IO, expected %d", name, read + write, BYTES_PER_PROCESS));
            }
        }
        for (int i = 1; i <= JOBS; i++) {
            int n = count.getOrDefault("job" + i, 0);
            if (n != processes) {
                problems.add(String.format("job%d: %d processes reported, expected %d (processes that never ran)", i, n, processes));
            }
        }
        if (errors > 0) {
            problems.add(0, errors + " fio processes ended with an error");
        }
        return problems;
    }

    private static String errnoName(long e) {
        return switch ((int) e) {
            case 0 -> "none";
            case 5 -> "EIO";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 16 -> "EBUSY";
            default -> "errno " + e;
        };
    }
}
