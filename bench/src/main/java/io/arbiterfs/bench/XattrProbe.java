package io.arbiterfs.bench;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ForwardingFileSystem;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.platform.Errno;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./arbiterfs bench --xattr-probe}: does the kernel ask GETXATTR security.capability before
 * every passthrough write? Buffered 4k random writes (4 jobs) on a {@code -o passthrough} mount,
 * counting the GETXATTR and WRITE requests the daemon sees, in three set-ups:
 * <ol>
 *   <li>as shipped (FUSE_HANDLE_KILLPRIV_V2 negotiated);
 *   <li>without HANDLE_KILLPRIV_V2 (what most servers negotiate);
 *   <li>without it and with GETXATTR answered ENOSYS for {@code security.*} (the C-server trick),
 *       followed by a read of {@code user.arbiterfs.iomode.text} to show what that costs.
 * </ol>
 * The mount is served in this JVM (fio is a separate process and nothing here maps the files).
 */
final class XattrProbe {
    private XattrProbe() {}

    static final class Counting<F, D> extends ForwardingFileSystem<F, D> {
        final AtomicLong getxattrs = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final boolean enosysSecurity;

        Counting(FileSystem<F, D> inner, boolean enosysSecurity) {
            super(inner);
            this.enosysSecurity = enosysSecurity;
        }

        @Override
        public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
            getxattrs.incrementAndGet();
            if (enosysSecurity && new String(name.bytes(), StandardCharsets.UTF_8).startsWith("security.")) {
                return -Errno.ENOSYS;
            }
            return super.getxattr(req, node, name, size, out);
        }

        @Override
        public int write(Request req, long node, F file, WriteArgs in, DataView data) {
            writes.incrementAndGet();
            return super.write(req, node, file, in, data);
        }
    }

    private static <F, D> Counting<F, D> counting(FileSystem<F, D> fs, boolean enosys) {
        return new Counting<>(fs, enosys);
    }

    static void run(Path tmpfs, int runtime, PrintStream out) throws Exception {
        out.println("| set-up | IOPS (4k randwrite, buffered, 4 jobs) | GETXATTR requests | WRITE requests | user.arbiterfs.iomode.text |");
        out.println("|---|---:|---:|---:|---|");
        row(tmpfs, runtime, "HANDLE_KILLPRIV_V2 negotiated (as shipped)", true, false, out);
        row(tmpfs, runtime, "without HANDLE_KILLPRIV_V2", false, false, out);
        row(tmpfs, runtime, "without HANDLE_KILLPRIV_V2, security.* GETXATTR → ENOSYS", false, true, out);
    }

    private static void row(Path tmpfs, int runtime, String label, boolean killpriv, boolean enosys, PrintStream out) throws Exception {
        Path base = Files.createTempDirectory(tmpfs, "xattr-probe-");
        Path src = Files.createDirectory(base.resolve("source"));
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        try {
            Bench.layOut(src.resolve(FioJob.FILE));
            MountOptions o = MountOptions.parse(List.of("passthrough"));
            Counting<?, ?> fs = counting(ArbiterDaemon.sourceStack(src, o, ArbiterDaemon.validate(o)).top(), enosys);
            FuseMount.Builder builder = ArbiterDaemon.builder(fs, "xattr-probe", mnt, o);
            if (!killpriv) {
                builder.withoutFeatures(Feature.HANDLE_KILLPRIV_V2);
            }
            double iops;
            String status;
            try (FuseMount m = builder.mount()) {
                Path job = base.resolve("job.fio");
                Files.writeString(job, FioJob.named(Bench.HEADLINE_JOB + "-buf").jobFile(mnt.toString(), runtime));
                Process fio = new ProcessBuilder("fio", "--output-format=json", job.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String json = new String(fio.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                fio.waitFor(runtime + 60L, TimeUnit.SECONDS);
                FioResult r = FioResult.parse(json, 0);
                iops = r.ok() ? r.iops() : Double.NaN;
                Process g = new ProcessBuilder("getfattr", "-n", "user.arbiterfs.iomode.text", "--only-values", mnt.resolve(FioJob.FILE).toString())
                        .redirectErrorStream(true).start();
                String got = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                g.waitFor(10, TimeUnit.SECONDS);
                status = g.exitValue() == 0 ? "readable" : "fails: " + got.lines().reduce((a, b) -> b).orElse("").replace("|", "/");
                m.unmount(Duration.ofSeconds(5));
            }
            out.printf("| %s | %,.0f | %,d | %,d | %s |%n", label, iops, fs.getxattrs.get(), fs.writes.get(), status);
        } finally {
            Target.deleteTree(base);
        }
    }
}
