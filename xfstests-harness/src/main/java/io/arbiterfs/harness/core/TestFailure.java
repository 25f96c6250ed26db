package io.arbiterfs.harness.core;

/** Thrown by a test body when the file system did something wrong (a miscompare, an error, a hang). */
public class TestFailure extends Exception {
    public TestFailure(String message) {
        super(message);
    }

    public TestFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
