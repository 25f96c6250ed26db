package io.arbiterfs.harness.fsx;

import io.arbiterfs.harness.core.HarnessTest;
import io.arbiterfs.harness.core.TestEnv;
import java.nio.file.Path;
import java.time.Duration;

/** The fsx stream as a harness test (generic/091 and 263 run fsx with O_DIRECT mixed with buffered and mapped IO). */
public final class Fsx implements HarnessTest {
    @Override
    public String name() {
        return "arbiter/fsx";
    }

    @Override
    public String follows() {
        return "generic/091, generic/263 (fsx -Z with buffered and mapped IO), 075/112/127";
    }

    @Override
    public String checks() {
        return "random read/write/dread/dwrite/mapread/mapwrite/truncate/fallocate/punch/zero/fsync/reopen stream; every read and size checked against a model";
    }

    @Override
    public Duration timeout(io.arbiterfs.harness.core.Settings settings) {
        // 100k ops take well under a minute; allow a generous 2 ms per op
        return Duration.ofMinutes(2).plusMillis(2 * settings.fsxOps());
    }

    @Override
    public void run(TestEnv env) throws Exception {
        boolean mapped = io.arbiterfs.harness.tests.MmapProbe.usable(env);
        Path file = env.dir().resolve("fsx-file");
        long ops = env.settings().fsxOps();
        FsxStream.Config cfg = FsxStream.Config.of(ops, env.settings().seed(), mapped);
        env.log().line("fsx: %d ops, seed %d, max file size %d, max op size %d, mapped ops %s", ops, cfg.seed(),
                cfg.maxFileSize(), cfg.maxOpSize(), mapped ? "on" : "off (mmap refused by configuration)");
        new FsxStream(file, env.backing(file), cfg, env.log()::raw).run();
    }
}
