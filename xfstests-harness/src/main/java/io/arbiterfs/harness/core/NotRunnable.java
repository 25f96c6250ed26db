package io.arbiterfs.harness.core;

/** Thrown by a test body when a prerequisite is missing; the test is reported {@code [not run] reason}. */
public class NotRunnable extends Exception {
    public NotRunnable(String reason) {
        super(reason);
    }
}
