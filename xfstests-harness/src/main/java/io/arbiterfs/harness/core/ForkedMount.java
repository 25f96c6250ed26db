package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.cli.Main;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.process.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fresh arbiterfs on a temp SOURCE and MOUNTPOINT, served by {@code arbiterfs mount -f} in a child JVM (why a child:
 * {@link ChildProcess}). {@link #close} stops it with SIGTERM, fails if the mount table still shows the mount
 * (detaching it) and deletes both directories. The child's output (warnings, thread dumps) goes to {@code daemon.log}
 * in the results.
 */
public final class ForkedMount implements MountTarget {
    private final String section;
    private final MountOptions options;
    private final MountFixture<ChildProcess> fixture;

    private ForkedMount(String section, MountOptions options, MountFixture<ChildProcess> fixture) {
        this.section = section;
        this.options = options;
        this.fixture = fixture;
    }

    /** {@code arbiterfs mount -f -o options}, its log in {@code logDir}. */
    public static ForkedMount start(String section, List<String> options, Path logDir) throws Exception {
        return start(section, options, logDir, Main.class.getName(), List.of());
    }

    /**
     * The same command run by another main ({@code mainClass leadingArgs... mount -f ...}): the self-test's, which
     * puts a broken layer under the arbitration.
     */
    public static ForkedMount start(String section, List<String> options, Path logDir, String mainClass,
                                    List<String> leadingArgs) throws Exception {
        MountOptions parsed;
        try {
            parsed = MountOptions.parse(options);
        } catch (MountOptionException e) {
            throw new IOException(e.getMessage(), e);
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve("daemon.log");
        MountFixture<ChildProcess> fixture = MountFixture.of((source, mountpoint) -> {
            List<String> args = new ArrayList<>(leadingArgs);
            args.addAll(List.of("mount", "-f", "--notify-ready", source.toString(), mountpoint.toString()));
            if (!options.isEmpty()) {
                args.addAll(List.of("-o", String.join(",", options)));
            }
            return ChildProcess.java(mainClass, args).jvmArgs("-Darbiterfs.log.level=" + System.getProperty("arbiterfs.log.level", "WARN"))
                    .mountpoint(mountpoint).log(log).start();
        }).named("arbiterfs-harness-" + section);
        return new ForkedMount(section, parsed, fixture.open());
    }

    /** The daemon's process (its CPU time is the daemon's). */
    public ChildProcess daemon() {
        return fixture.mounted();
    }

    @Override
    public Path root() {
        return fixture.mnt();
    }

    @Override
    public Optional<Path> source() {
        return Optional.of(fixture.source());
    }

    @Override
    public MountFacts facts() {
        return MountFacts.of(options);
    }

    @Override
    public String section() {
        return section;
    }

    @Override
    public String describe() {
        return "daemon " + daemon() + " -o " + options.render();
    }

    /** After a hang: dump the daemon's threads into its log, then kill it so stuck callers get errors. */
    @Override
    public void abortAfterHang(TestLog log) {
        log.line("dumping daemon threads (SIGQUIT) into %s, then killing the daemon", daemon().log());
        daemon().threadDump();
        daemon().kill();
    }

    @Override
    public void close() throws IOException {
        fixture.close();
    }
}
