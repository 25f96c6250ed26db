package io.arbiterfs.harness.core;

import java.nio.file.Path;
import java.time.Duration;

/** One test's result in one section (mount configuration). */
public record TestResult(String section, String name, Outcome outcome, Duration elapsed, Path log) {}
