package io.arbiterfs.daemon.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** External commands for the reliability tests: run with a timeout, as root or as the test user. */
final class Proc {
    /** The unprivileged user the tests run tools as (.ci/run creates it; {@link #ensureTestUser} otherwise). */
    static final String USER = "arbiterfs-test";

    record Result(List<String> cmd, int exit, String out, String err) {
        Result ok() {
            return exit(0);
        }

        Result exit(int expected) {
            if (exit != expected) {
                throw new AssertionError("command " + cmd + " exited " + exit + ", expected " + expected
                        + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    private Proc() {}

    static Result run(String... cmd) {
        return run(Duration.ofSeconds(90), List.of(cmd));
    }

    static Result run(Duration timeout, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("command " + cmd + " did not finish within " + timeout);
            }
            return new Result(cmd, p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result sh(String script) {
        return run("sh", "-c", script);
    }

    /** {@code sh -c script} as {@link #USER}, with no supplementary groups and umask as given. */
    static Result asUser(String script) {
        return run(Duration.ofSeconds(90), asUserCommand("sh", "-c", script));
    }

    static List<String> asUserCommand(String... cmd) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + uid(), "--regid=" + gid(), "--clear-groups"));
        c.addAll(List.of(cmd));
        return c;
    }

    /** Creates {@link #USER} if it does not exist (we run as root; CI creates it up front). */
    static synchronized void ensureTestUser() {
        if (run("id", "-u", USER).exit() != 0) {
            run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER).ok();
        }
    }

    static int uid() {
        ensureTestUser();
        return Integer.parseInt(run("id", "-u", USER).ok().out().strip());
    }

    static int gid() {
        ensureTestUser();
        return Integer.parseInt(run("id", "-g", USER).ok().out().strip());
    }

    static CompletableFuture<String> drain(java.io.InputStream in) {
        return io.arbiterfs.daemon.testing.Streams.drain(in);
    }
}
