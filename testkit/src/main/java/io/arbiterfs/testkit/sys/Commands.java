package io.arbiterfs.testkit.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs external commands with a timeout and captures their output; stdin is /dev/null. */
public final class Commands {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    /** What a finished command left behind. */
    public record Result(List<String> cmd, int exit, String out, String err) {
        /** Fails the test unless the command exited 0; returns this for chaining. */
        public Result ok() {
            return exit(0);
        }

        public Result exit(int expected) {
            if (exit != expected) {
                throw new AssertionError("command " + cmd + " exited " + exit + ", expected " + expected
                        + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    private Commands() {}

    public static Result run(String... cmd) {
        return run(DEFAULT_TIMEOUT, List.of(cmd));
    }

    public static Result run(Duration timeout, List<String> cmd) {
        return run(null, timeout, cmd.toArray(String[]::new));
    }

    /** Runs {@code cmd} in {@code cwd} (null: this process's), failing the test if it outlives {@code timeout}. */
    public static Result run(Path cwd, Duration timeout, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        try {
            Process p = pb.start();
            CompletableFuture<String> out = Streams.drain(p.getInputStream());
            CompletableFuture<String> err = Streams.drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("command " + List.of(cmd) + " did not finish within " + timeout);
            }
            return new Result(List.of(cmd), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + List.of(cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + List.of(cmd), e);
        }
    }

    /** {@code sh -c script}, for pipelines and redirections. */
    public static Result sh(String script) {
        return run("sh", "-c", script);
    }

    /** {@code java -cp <this JVM's class path> [jvmArgs] mainClass args...}: a JVM of its own. */
    public static List<String> java(List<String> jvmArgs, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(),
                "-Djnr.ffi.x86asm.enabled=false")); // as the launcher: jnr-ffi garbles 6th arguments otherwise
        cmd.addAll(jvmArgs);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** This JVM's class path: the test class path under surefire and failsafe (not their booter jar), else java.class.path. */
    public static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
