package io.arbiterfs.jnrfuse.mounted;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion. */
final class Commands {
    private Commands() {}

    /** A finished command: its exit code and its stdout and stderr together. */
    record Result(int exitCode, String output) {}

    static Result runIn(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs {@code command}; throws unless it exits 0. */
    static String run(String... command) throws IOException, InterruptedException {
        Result r = runIn(null, List.of(command), 60);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): " + r.output());
        }
        return r.output();
    }

    /** Runs {@code command} for cleanup: failures are only reported as the result. */
    static Result runQuietly(String... command) {
        try {
            return runIn(null, List.of(command), 60);
        } catch (IOException | InterruptedException e) {
            return new Result(-1, e.toString());
        }
    }
}
