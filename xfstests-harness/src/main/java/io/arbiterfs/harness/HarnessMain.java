package io.arbiterfs.harness;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./arbiterfs xfstests ...} as routed by the launcher. */
@Command(name = "arbiterfs", mixinStandardHelpOptions = true,
        subcommands = {XfstestsCommand.class},
        description = "arbiterfs test harness commands")
public final class HarnessMain {
    public static void main(String[] args) {
        // library logging goes to stderr (logback.xml); keep it to warnings unless asked otherwise
        if (System.getProperty("arbiterfs.log.level") == null) {
            System.setProperty("arbiterfs.log.level", "WARN");
        }
        System.exit(new CommandLine(new HarnessMain()).execute(args));
    }
}
