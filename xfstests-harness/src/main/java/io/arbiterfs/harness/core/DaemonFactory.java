package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.cli.Daemon;
import io.arbiterfs.fuse.FuseFileSystem;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.internal.transport.SessionOptions;
import java.nio.file.Path;

/**
 * Builds the file system and session options exactly as {@code ./arbiterfs mount} does (through
 * {@link Daemon}), so an in-process mount behaves like the real daemon for the same options.
 */
public final class DaemonFactory {
    /** Which code serves the mount. */
    public String description() {
        return "Daemon.fileSystem (as ./arbiterfs mount)";
    }

    public FuseFileSystem fileSystem(Path backing, MountOptions o) throws Exception {
        return Daemon.fileSystem(backing, o, Daemon.validate(o));
    }

    public SessionOptions sessionOptions(MountOptions o) {
        return Daemon.sessionOptions(o);
    }
}
