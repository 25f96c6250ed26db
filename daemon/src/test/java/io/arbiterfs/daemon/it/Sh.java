package io.arbiterfs.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs external commands with a timeout and captures their output. */
final class Sh {
    /** What a finished command left behind. */
    record Result(List<String> cmd, int exit, String out, String err) {
        /** Fails the test unless the command exited 0; returns this for chaining. */
        Result ok() {
            assertEquals(0, exit, () -> "command " + cmd + " failed with " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }

        Result exit(int expected) {
            assertEquals(expected, exit, () -> "command " + cmd + " exited " + exit + ", expected " + expected
                    + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    private Sh() {}

    static Result run(String... cmd) {
        return run(null, Duration.ofSeconds(60), cmd);
    }

    static Result run(Path cwd, Duration timeout, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("command " + List.of(cmd) + " did not finish within " + timeout);
            }
            return new Result(List.of(cmd), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + List.of(cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + List.of(cmd), e);
        }
    }

    /** {@code sh -c script}, for pipelines. */
    static Result sh(String script) {
        return run("sh", "-c", script);
    }

    static CompletableFuture<String> drain(java.io.InputStream in) {
        return io.arbiterfs.daemon.testing.Streams.drain(in);
    }
}
