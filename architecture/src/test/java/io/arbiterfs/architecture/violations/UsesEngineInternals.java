package io.arbiterfs.architecture.violations;

import io.arbiterfs.fuse.internal.mount.MountTable;

/** Breaks the rule that only the engine uses its internals (ModuleBoundariesTest's self-check). */
public final class UsesEngineInternals {
    private UsesEngineInternals() {}

    static Object internals() throws java.io.IOException {
        return MountTable.entries();
    }
}
