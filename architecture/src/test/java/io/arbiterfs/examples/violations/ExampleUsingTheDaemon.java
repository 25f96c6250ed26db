package io.arbiterfs.examples.violations;

import io.arbiterfs.daemon.ArbiterDaemon;

/** Breaks the rule that the examples use only the engine's public API (ModuleBoundariesTest's self-check). */
public final class ExampleUsingTheDaemon {
    private ExampleUsingTheDaemon() {}

    static String daemon() {
        return ArbiterDaemon.FS_TYPE + "-" + ArbiterDaemon.class.getSimpleName();
    }
}
