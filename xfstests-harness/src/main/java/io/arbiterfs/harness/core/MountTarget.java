package io.arbiterfs.harness.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The mounted file system under test: one the harness mounted itself, or an existing one. */
public interface MountTarget extends AutoCloseable {
    /** The mountpoint; tests work in fresh subdirectories of it. */
    Path root();

    /** The backing directory the mount serves, when known: the closing checks compare against it. */
    Optional<Path> source();

    MountFacts facts();

    /** Short name of the configuration, used as the results section (e.g. {@code dio-auto_parallel_mmap}). */
    String section();

    /** What serves the mount, for the report header. */
    String describe();

    /** True when a stat of the mountpoint answers within a few seconds (the daemon is alive). */
    default boolean answers() {
        return Liveness.answers(root());
    }

    /** Called when a test hung: record what the server was doing and unblock the stuck callers if possible. */
    default void abortAfterHang(TestLog log) {
        log.line("cannot abort this mount from the harness; later tests may hang too");
    }

    @Override
    void close() throws IOException;
}
