package io.arbiterfs.jnrfuse.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the bridge's JMH benchmarks; JMH command-line options (e.g. {@code -f 1 -prof gc}) pass through. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            b.include(BridgeDispatchBench.class.getName());
        }
        new Runner(b.build()).run();
    }
}
