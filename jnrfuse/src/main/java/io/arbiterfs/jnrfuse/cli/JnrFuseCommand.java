package io.arbiterfs.jnrfuse.cli;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.fuse.Mounts;
import io.arbiterfs.jnrfuse.ArbiterFfiProvider;
import io.arbiterfs.jnrfuse.ArbiterJnrFuse;
import io.arbiterfs.jnrfuse.JnrFuseOptions;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ru.serce.jnrfuse.AbstractFuseFS;
import sun.misc.Signal;

/**
 * {@code ./arbiterfs jnr-fuse CLASS MOUNTPOINT [--classpath DIRS_OR_JARS] [-o OPTS]}: mounts a jnr-fuse file system
 * class (made with its public no-argument constructor) on the arbiterfs engine. Like {@code mount}, it returns once the
 * mount answers, leaving the file system served in the background; {@code ./arbiterfs unmount MOUNTPOINT} ends it.
 * Exit codes as the daemon's: 0, 1 runtime failure, 2 bad usage (nothing mounted).
 */
@Command(name = "jnr-fuse", mixinStandardHelpOptions = true, description = {
        "Mount a jnr-fuse file system class (its no-argument constructor) on the arbiterfs engine, without libfuse.",
        "Returns once the mount answers; -f stays in the foreground. './arbiterfs unmount MOUNTPOINT' ends it."})
public final class JnrFuseCommand implements Callable<Integer> {
    static final String READY = "ARBITERFS-READY";
    private static final Logger log = LoggerFactory.getLogger(JnrFuseCommand.class);
    private static final int EXIT_FAILURE = 1;
    private static final int EXIT_USAGE = 2;

    @Parameters(index = "0", paramLabel = "CLASS", description = "the file system: a subclass of jnr-fuse's AbstractFuseFS (e.g. FuseStubFS)")
    String className;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Option(names = "--classpath", paramLabel = "DIRS_OR_JARS",
            description = "Where CLASS and its libraries are: directories and jars separated by ':' (DIR/* for every jar in DIR).")
    String classpath;

    @Option(names = "-o", paramLabel = "OPTS", description = "Comma-separated options: libfuse 2's and arbiterfs' (see README).")
    List<String> options = new ArrayList<>();

    @Option(names = "-f", description = "Stay in the foreground.")
    boolean foreground;

    @Option(names = "--notify-ready", hidden = true)
    boolean notifyReady;

    @Option(names = "--log", paramLabel = "FILE", description = "Log file of a background mount.")
    Path logFile;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new JnrFuseCommand());
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("arbiterfs: " + ex.getMessage());
            ex.getCommandLine().usage(cl.getErr());
            return EXIT_USAGE;
        });
        String[] rest = args.length > 0 && args[0].equals("jnr-fuse") ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        System.exit(cl.execute(rest));
    }

    @Override
    public Integer call() {
        try {
            ArbiterFfiProvider.install(); // before anything touches jnr-ffi: the file system must get the Java libfuse
        } catch (IllegalStateException e) {
            return fail(EXIT_FAILURE, e.getMessage());
        }
        Path mp = mountpoint.toAbsolutePath().normalize();
        JnrFuseOptions parsed;
        Constructor<? extends AbstractFuseFS> constructor;
        try {
            parsed = JnrFuseOptions.parse(options);
            ArbiterDaemon.validate(parsed.mount());
            if (!Files.isDirectory(mp)) {
                return fail(EXIT_USAGE, "mountpoint " + mp + (Files.exists(mp) ? " is not a directory" : " does not exist"));
            }
            if (Mounts.at(mp).map(e -> e.type().startsWith("fuse")).orElse(false)) {
                return fail(EXIT_USAGE, "mountpoint " + mp + " is busy: something is already mounted there");
            }
            constructor = fileSystemClass(className, classpath);
        } catch (MountOptionException | UsageException | IOException e) {
            return fail(EXIT_USAGE, e.getMessage());
        }
        if (parsed.mount().debug) {
            if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
                root.setLevel(ch.qos.logback.classic.Level.DEBUG);
            }
        }
        if (!foreground) {
            return background(mp);
        }
        return serve(constructor, mp);
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The file-system class named on the command line, loaded from {@code classpath} (if given) and checked. */
    static Constructor<? extends AbstractFuseFS> fileSystemClass(String name, String classpath) throws UsageException {
        ClassLoader parent = JnrFuseCommand.class.getClassLoader();
        ClassLoader loader = classpath == null ? parent : new URLClassLoader(urls(classpath), parent);
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UsageException("no class " + name + (classpath == null ? " on the class path (give --classpath DIRS_OR_JARS)"
                    : " in --classpath " + classpath) + (e instanceof LinkageError ? ": " + e : ""));
        }
        if (!AbstractFuseFS.class.isAssignableFrom(type)) {
            throw new UsageException(name + " is not a jnr-fuse file system (a subclass of " + AbstractFuseFS.class.getName()
                    + ", e.g. of FuseStubFS)" + (sameJnrFuse(type) ? ""
                    : "; it extends another copy of jnr-fuse: leave jnr-fuse out of --classpath"));
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new UsageException(name + " is abstract");
        }
        try {
            Constructor<? extends AbstractFuseFS> c = type.asSubclass(AbstractFuseFS.class).getConstructor();
            Thread.currentThread().setContextClassLoader(loader);
            return c;
        } catch (NoSuchMethodException e) {
            throw new UsageException(name + " has no public no-argument constructor");
        }
    }

    /** Whether {@code type}'s superclasses include an AbstractFuseFS from another class loader (a second jnr-fuse). */
    private static boolean sameJnrFuse(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(AbstractFuseFS.class.getName()) && c != AbstractFuseFS.class) {
                return false;
            }
        }
        return true;
    }

    private static URL[] urls(String classpath) throws UsageException {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                if (entry.endsWith("/*") || entry.equals("*")) {
                    Path dir = Path.of(entry.substring(0, entry.length() - 1));
                    if (!Files.isDirectory(dir)) {
                        throw new UsageException("--classpath entry " + entry + ": " + dir + " is not a directory");
                    }
                    try (Stream<Path> jars = Files.list(dir)) {
                        for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                            urls.add(jar.toUri().toURL());
                        }
                    }
                } else {
                    Path p = Path.of(entry);
                    if (!Files.exists(p)) {
                        throw new UsageException("--classpath entry " + entry + " does not exist");
                    }
                    urls.add(p.toAbsolutePath().toUri().toURL());
                }
            } catch (MalformedURLException e) {
                throw new UsageException("--classpath entry " + entry + " is not a path: " + e.getMessage());
            } catch (IOException e) {
                throw new UsageException("--classpath entry " + entry + ": " + e.getMessage());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** Constructs the file system, mounts it and serves until it is unmounted (SIGTERM, SIGINT, SIGHUP unmount). */
    private int serve(Constructor<? extends AbstractFuseFS> constructor, Path mp) {
        AbstractFuseFS fs;
        try {
            fs = constructor.newInstance();
        } catch (InvocationTargetException e) {
            return fail(EXIT_FAILURE, className + "() failed: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return fail(EXIT_FAILURE, "cannot construct " + className + ": " + e);
        }
        ArbiterJnrFuse m;
        try {
            m = ArbiterJnrFuse.mount(fs, mp, options.toArray(String[]::new));
        } catch (IOException e) {
            return fail(EXIT_USAGE, e.getMessage());
        }
        for (String sig : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(sig), s -> {
                log.info("SIG{}: unmounting {}", sig, mp);
                new Thread(() -> {
                    try {
                        m.close();
                    } catch (IOException e) {
                        log.error("unmount failed: {}", e.getMessage());
                    }
                }, "unmount-on-signal").start();
            });
        }
        if (notifyReady) {
            System.out.println(READY + " " + mp);
            System.out.flush();
            System.out.close(); // the launching process stops reading here
        } else {
            System.err.println("arbiterfs: jnr-fuse " + className + " mounted on " + mp + " (foreground; Ctrl-C unmounts)");
        }
        try {
            m.awaitUnmounted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} unmounted; exiting", mp);
        return 0;
    }

    /** Runs this command again with {@code -f --notify-ready} in a new session and waits for its readiness line. */
    private int background(Path mp) {
        Path logPath = logFile != null ? logFile : defaultLog(mp);
        List<String> cmd = new ArrayList<>(List.of("setsid", ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path")));
        for (String p : List.of("arbiterfs.launcher", "jnr.ffi.x86asm.enabled", ArbiterFfiProvider.PROVIDER_PROPERTY)) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of(JnrFuseCommand.class.getName(), className, mp.toString(), "-f", "--notify-ready"));
        if (classpath != null) {
            cmd.addAll(List.of("--classpath", classpath));
        }
        for (String o : options) {
            cmd.addAll(List.of("-o", o));
        }
        try {
            Files.createDirectories(logPath.toAbsolutePath().getParent());
            Process child = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logPath.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(READY)) {
                        System.out.println("arbiterfs: jnr-fuse " + className + " mounted on " + mp + " (log: " + logPath + ")");
                        return 0;
                    }
                }
            }
            int code = child.waitFor();
            List<String> lines = Files.readAllLines(logPath);
            lines.subList(Math.max(0, lines.size() - 5), lines.size()).forEach(l -> System.err.println("  " + l));
            System.err.println("arbiterfs: mount failed (log: " + logPath + ")");
            return code == 0 ? EXIT_FAILURE : code;
        } catch (IOException e) {
            return fail(EXIT_FAILURE, "cannot start the mount: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        }
    }

    /** The log of a background mount: as the daemon's, one directory per user. */
    private static Path defaultLog(Path mp) {
        int uid = io.arbiterfs.daemon.nativeio.LibC.get().getuid();
        Path dir = Path.of(uid == 0 ? "/tmp/arbiterfs" : "/tmp/arbiterfs-" + uid);
        return dir.resolve(mp.toString().replace('/', '_') + ".log");
    }

    private static int fail(int code, String message) {
        System.err.println("arbiterfs: " + message);
        return code;
    }
}
