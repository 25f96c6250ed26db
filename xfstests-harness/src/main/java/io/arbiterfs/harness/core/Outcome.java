package io.arbiterfs.harness.core;

import java.util.Objects;

/** How one test ended: passed, failed (with the reason), or not run (with the reason). */
public record Outcome(Status status, String detail) {
    public enum Status { PASS, FAIL, NOT_RUN }

    public Outcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static Outcome pass() {
        return new Outcome(Status.PASS, "");
    }

    public static Outcome fail(String reason) {
        return new Outcome(Status.FAIL, reason);
    }

    public static Outcome notRun(String reason) {
        return new Outcome(Status.NOT_RUN, reason);
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** Combines a finished test's outcome with a later check (dmesg, mount liveness): a failure wins. */
    public Outcome and(Outcome later) {
        if (status == Status.NOT_RUN || later.passed()) {
            return this;
        }
        if (failed()) {
            return fail(detail + "\n" + later.detail);
        }
        return later;
    }
}
