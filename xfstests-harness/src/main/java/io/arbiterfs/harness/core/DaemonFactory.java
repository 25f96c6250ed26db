package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.fs.FuseFileSystem;
import io.arbiterfs.daemon.kernel.FuseConst;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import io.arbiterfs.daemon.transport.SessionOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the file system and session options exactly as {@code ./arbiterfs mount} does, so an
 * in-process mount behaves like the real daemon for the same {@code -o} options.
 *
 * <p>The daemon's mapping ({@code io.arbiterfs.daemon.cli.Daemon}: validate, fileSystem,
 * sessionOptions) is looked up reflectively because it is still being wired (issue 4); without it
 * the harness falls back to a plain {@link PassthroughFs} and says so in {@link #description()}.
 */
public final class DaemonFactory {
    private static final Logger log = LoggerFactory.getLogger(DaemonFactory.class);
    private static final String DAEMON = "io.arbiterfs.daemon.cli.Daemon";

    private final Method validate;
    private final Method fileSystem;
    private final Method sessionOptions;

    public DaemonFactory() {
        Method v = null;
        Method f = null;
        Method s = null;
        try {
            Class<?> d = Class.forName(DAEMON);
            for (Method m : d.getMethods()) {
                switch (m.getName()) {
                    case "validate" -> v = m.getParameterCount() == 1 ? m : v;
                    case "fileSystem" -> f = m.getParameterCount() == 3 ? m : f;
                    case "sessionOptions" -> s = m.getParameterCount() == 1 ? m : s;
                    default -> { }
                }
            }
        } catch (ClassNotFoundException e) {
            log.warn("{} not found: mounting a plain PassthroughFs", DAEMON);
        }
        if (v == null || f == null) {
            log.warn("the daemon offers no public Daemon.validate/fileSystem: mounting a plain PassthroughFs, "
                    + "so dio=/parallel_dio/passthrough options may have no effect");
            v = null;
            f = null;
        }
        validate = v;
        fileSystem = f;
        sessionOptions = s;
    }

    /** Which code serves the mount: the daemon's own factory or the fallback. */
    public String description() {
        return fileSystem != null ? "Daemon.fileSystem (as ./arbiterfs mount)" : "plain PassthroughFs (daemon factory unavailable)";
    }

    public FuseFileSystem fileSystem(Path backing, MountOptions o) throws Exception {
        if (fileSystem != null) {
            Object policy = call(validate, o);
            return (FuseFileSystem) call(fileSystem, backing, o, policy);
        }
        return new PassthroughFs(backing, new PassthroughFs.Options(seconds(o.entryTimeout), seconds(o.attrTimeout)));
    }

    public SessionOptions sessionOptions(MountOptions o) throws Exception {
        if (sessionOptions != null) {
            return (SessionOptions) call(sessionOptions, o);
        }
        SessionOptions s = SessionOptions.defaults(o.maxThreads);
        return o.allowMmap ? s.withFlags(FuseConst.DIRECT_IO_ALLOW_MMAP) : s;
    }

    private static Object call(Method m, Object... args) throws Exception {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
