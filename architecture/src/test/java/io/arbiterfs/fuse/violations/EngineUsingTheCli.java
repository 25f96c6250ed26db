package io.arbiterfs.fuse.violations;

import io.arbiterfs.locking.IoMode;
import picocli.CommandLine;

/** Breaks the rule that the engine depends on nothing of ours and no CLI library (ModuleBoundariesTest's self-check). */
public final class EngineUsingTheCli {
    private EngineUsingTheCli() {}

    static Object cli() {
        return new CommandLine(IoMode.NEUTRAL);
    }
}
