package io.arbiterfs.harness.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running test gets: its own fresh directory on the mount, the matching backing directory
 * (when the harness knows the SOURCE), its log and the run's settings.
 *
 * @param dir a fresh, empty directory under the mountpoint
 * @param backingDir the same directory seen in SOURCE, bypassing FUSE; empty for an existing mount
 *                   whose source is unknown
 */
public record TestEnv(Path dir, Optional<Path> backingDir, TestLog log, Settings settings, MountFacts facts) {
    /** The SOURCE-side path of a file in {@link #dir()}, if known. */
    public Optional<Path> backing(Path underDir) {
        return backingDir.map(b -> b.resolve(dir.relativize(underDir)));
    }
}
