package io.arbiterfs.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./arbiterfs xfstests ...} (and the reserved {@code bench}) as routed by the launcher. */
@Command(name = "arbiterfs", mixinStandardHelpOptions = true,
        subcommands = {XfstestsCommand.class, HarnessMain.Bench.class},
        description = "arbiterfs test harness commands")
public final class HarnessMain {
    public static void main(String[] args) {
        // library logging goes to stderr (logback.xml); keep it to warnings unless asked otherwise
        if (System.getProperty("arbiterfs.log.level") == null) {
            System.setProperty("arbiterfs.log.level", "WARN");
        }
        System.exit(new CommandLine(new HarnessMain()).execute(args));
    }

    /** The launcher routes {@code bench} here too; benchmarks are not part of this module yet. */
    @Command(name = "bench", description = "benchmarks (not implemented yet)")
    static final class Bench implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("arbiterfs bench: not implemented yet");
            return 2;
        }
    }
}
