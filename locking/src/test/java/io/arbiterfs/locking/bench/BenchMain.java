package io.arbiterfs.locking.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs {@link SharedWriteBench}; any JMH command-line options (e.g. {@code -f 1 -wi 2 -i 3}) are passed through. */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(SharedWriteBench.class.getName())
                .build()).run();
    }
}
