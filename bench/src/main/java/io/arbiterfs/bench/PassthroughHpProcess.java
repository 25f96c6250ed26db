package io.arbiterfs.bench;

import static org.awaitility.Awaitility.await;

import io.arbiterfs.testkit.mount.Mountpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * libfuse's passthrough_hp over a fresh SOURCE and MOUNTPOINT, in the foreground (so its pid is
 * the server's and its messages go to {@code passthrough_hp.log}).
 *
 * <p>Its options, as libfuse 3.19's {@code example/passthrough_hp.cc} defines them: {@code
 * --nopassthrough} keeps READ and WRITE in the server (without it every open gets a kernel
 * passthrough backing file and the server sees no IO), and then O_DIRECT opens get FOPEN_DIRECT_IO;
 * {@code --direct-io} sets FOPEN_DIRECT_IO on every open, cached ones too (the buffered and mmap
 * parts of the mixed jobs). Every open gets FOPEN_PARALLEL_DIRECT_WRITES either way. {@code -o
 * io_uring} is a libfuse session option: ask for FUSE_OVER_IO_URING at INIT, one ring per CPU.
 * {@code FUSE_INIT_STATUS=1} makes libfuse log what INIT negotiated, including {@code
 * FUSE_INIT: io_uring=on} or why not ({@code off:disabled}, {@code off:not_offered}, ...).
 */
final class PassthroughHpProcess implements Target.Mounted {
    /** What the bench always passes: the server does the IO, every open is direct. */
    static final List<String> ARGS = List.of("--nopassthrough", "--direct-io");

    private final Path base;
    private final Process process;
    private final Path log;
    private final String command;

    private PassthroughHpProcess(Path base, Process process, Path log, String command) {
        this.base = base;
        this.process = process;
        this.log = log;
        this.command = command;
    }

    /** The full command line for SOURCE and MOUNTPOINT (absolute: passthrough_hp changes directory to /). */
    static List<String> command(Path binary, List<String> mountOptions, Path source, Path mountpoint) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--foreground"));
        cmd.addAll(ARGS);
        if (!mountOptions.isEmpty()) {
            cmd.add("-o");
            cmd.add(String.join(",", mountOptions));
        }
        cmd.add(source.toAbsolutePath().toString());
        cmd.add(mountpoint.toAbsolutePath().toString());
        return cmd;
    }

    static PassthroughHpProcess start(LibfuseBuild.PassthroughHp hp, List<String> mountOptions, Path parent, Path logDir) throws Exception {
        Path base = Files.createTempDirectory(parent, "passthrough_hp-");
        Files.createDirectory(base.resolve("source"));
        Files.createDirectory(base.resolve("mnt"));
        Files.createDirectories(logDir);
        Path log = logDir.resolve("passthrough_hp.log");
        List<String> cmd = command(hp.binary(), mountOptions, base.resolve("source"), base.resolve("mnt"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(hp.environment());
        pb.environment().put("FUSE_INIT_STATUS", "1");
        Files.writeString(log, "$ " + String.join(" ", cmd) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        PassthroughHpProcess s = new PassthroughHpProcess(base, pb.start(), log, String.join(" ", cmd.subList(1, cmd.size() - 2)));
        try {
            s.awaitMounted();
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Until the mount is in the mount table and has answered FUSE_INIT (a statfs waits for that). passthrough_hp is
     * the C peer: it has no readiness line, so the mount table is the handshake.
     */
    private void awaitMounted() throws Exception {
        Path mnt = dir();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || Mountpoints.isMounted(mnt));
        } catch (ConditionTimeoutException e) {
            throw new IOException("passthrough_hp did not mount within 30 s: " + lastLines(3));
        }
        if (!process.isAlive()) {
            throw new IOException("passthrough_hp exited with " + process.exitValue() + " before mounting: " + lastLines(3));
        }
        if (!Target.initAnswered(mnt)) {
            throw new IOException("passthrough_hp mounted but statfs did not answer: " + lastLines(3));
        }
    }

    /** libfuse's {@code FUSE_INIT: io_uring=...} verdict from the log ({@code io_uring=on}, ...), or "" if it logged none. */
    String ringVerdict() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("FUSE_INIT: io_uring="))
                .map(l -> l.substring("FUSE_INIT: ".length()).strip()).findFirst().orElse("");
    }

    private String lastLines(int n) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return lines.isEmpty() ? "(no output)" : String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    @Override
    public Path dir() {
        return base.resolve("mnt");
    }

    @Override
    public Path backing() {
        return base.resolve("source");
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public String describe() {
        String verdict;
        try {
            verdict = ringVerdict();
        } catch (IOException e) {
            verdict = "";
        }
        return "pid " + process.pid() + ": passthrough_hp " + command + (verdict.isEmpty() ? "" : " (libfuse: " + verdict + ")");
    }

    /** SIGTERM (libfuse's handler ends the loop and unmounts), then SIGKILL and a lazy unmount if needed. */
    @Override
    public void close() throws IOException {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path mnt = dir();
        boolean left = Mountpoints.isMounted(mnt);
        if (left) {
            try {
                new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!Mountpoints.isMounted(mnt)) {
            Target.deleteTree(base);
        }
        if (left) {
            throw new IOException("passthrough_hp left " + mnt + " mounted after it stopped (detached it)");
        }
    }
}
