package io.arbiterfs.harness.core;

/**
 * One test of the subset. The body throws {@link TestFailure} when the file system misbehaves and
 * {@link NotRunnable} when a prerequisite is missing; returning normally means pass. The runner
 * adds the checks every test shares (kernel log, mount still answering).
 */
public interface HarnessTest {
    /** xfstests-style name, e.g. {@code arbiter/095}. */
    String name();

    /** The xfstests test(s) this one is modelled on, e.g. {@code generic/095}. */
    String follows();

    /** One line: what a pass means. */
    String checks();

    void run(TestEnv env) throws Exception;

    /** Upper bound for one run with these settings; the runner fails the test after it. */
    default java.time.Duration timeout(Settings settings) {
        return java.time.Duration.ofMinutes(3).multipliedBy(settings.loadFactor());
    }
}
