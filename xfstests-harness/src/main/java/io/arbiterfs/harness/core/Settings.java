package io.arbiterfs.harness.core;

/**
 * Knobs shared by all tests.
 *
 * @param loadFactor xfstests' LOAD_FACTOR: scales process counts and iterations
 * @param fsxOps operations in one fsx stream
 * @param seed seed of every random stream (fsx, offsets); printed so a failure can be replayed
 */
public record Settings(int loadFactor, long fsxOps, long seed) {
    public Settings {
        if (loadFactor < 1) {
            throw new IllegalArgumentException("load factor must be at least 1");
        }
        if (fsxOps < 1) {
            throw new IllegalArgumentException("fsx op count must be at least 1");
        }
    }

    public static Settings defaults() {
        return new Settings(1, 100_000, 1);
    }
}
