package io.arbiterfs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The C peer of the bench: libfuse's {@code example/passthrough_hp}, built from a libfuse source
 * (a directory or a tarball) with meson and ninja, never installed. The build lives in one cache
 * directory and is redone only when the source (its content) or the build options change; a stamp
 * written last marks a finished build, so an interrupted one is redone.
 *
 * <p>The binary finds the build's own {@code lib/libfuse3.so.N} through meson's build-tree RUNPATH
 * ({@code $ORIGIN/../lib}); {@link PassthroughHp#environment} also puts that directory first on
 * {@code LD_LIBRARY_PATH}, so a libfuse named there by the caller's environment cannot shadow it. As
 * root libfuse mounts with mount(2) and unmounts with umount2(2) itself, so no fusermount3 is
 * needed (none is built: {@code -Dutils=false}).
 */
public final class LibfuseBuild {
    /** What meson is asked for; part of the cache key. */
    static final List<String> MESON_OPTIONS = List.of("-Denable-io-uring=true", "-Dexamples=true", "-Dtests=false", "-Dutils=false");
    /** Debian packages the build needs (pkg-config finds liburing; older libfuse versions also link libnuma). */
    static final List<String> PACKAGES = List.of("meson", "ninja-build", "pkg-config", "g++", "liburing-dev", "libnuma-dev");
    private static final Pattern VERSION = Pattern.compile("project\\s*\\(\\s*'libfuse3'.*?version\\s*:\\s*'([^']+)'", Pattern.DOTALL);

    /** A built passthrough_hp. */
    public record PassthroughHp(Path binary, Path libDir, String version, Path source) {
        /** The environment additions its process needs. */
        public java.util.Map<String, String> environment() {
            String old = System.getenv("LD_LIBRARY_PATH");
            return java.util.Map.of("LD_LIBRARY_PATH", libDir + (old == null || old.isEmpty() ? "" : ":" + old));
        }

        public String describe() {
            return "libfuse " + version + " example/passthrough_hp, built from " + source;
        }
    }

    /**
     * The packages of {@link #PACKAGES} whose tools or headers are missing here (meson, ninja,
     * pkg-config, a C++ compiler, liburing's pkg-config entry, numa.h).
     */
    public static List<String> missingPackages() {
        List<String> missing = new ArrayList<>();
        String[][] probes = {
            {"meson", "command -v meson"}, {"ninja-build", "command -v ninja"}, {"pkg-config", "command -v pkg-config"},
            {"g++", "command -v c++"}, {"liburing-dev", "pkg-config --exists liburing"}, {"libnuma-dev", "test -e /usr/include/numa.h"}};
        for (String[] p : probes) {
            try {
                Process pr = new ProcessBuilder("sh", "-c", p[1]).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!pr.waitFor(10, TimeUnit.SECONDS) || pr.exitValue() != 0) {
                    missing.add(p[0]);
                }
            } catch (IOException e) {
                missing.add(p[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                missing.add(p[0]);
            }
        }
        return missing;
    }

    private final Path source;
    private final Path cache;
    private PassthroughHp built;
    private Exception failure;

    /**
     * @param source a libfuse source tree (with {@code meson.build}) or a tarball of one
     * @param cache  the cache directory (it is wiped when the source changes)
     */
    public LibfuseBuild(Path source, Path cache) {
        this.source = source.toAbsolutePath().normalize();
        this.cache = cache.toAbsolutePath().normalize();
    }

    public Path source() {
        return source;
    }

    public Path cache() {
        return cache;
    }

    /** The build, made on the first call (and remembered, as is a failure). */
    public synchronized PassthroughHp passthroughHp() throws Exception {
        if (built == null && failure == null) {
            try {
                built = build();
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return built;
    }

    /** Whether the cache already holds a finished build of this source. */
    public boolean cached() throws IOException {
        Path stamp = cache.resolve("stamp");
        return Files.exists(source) && Files.exists(stamp) && Files.readString(stamp).strip().equals(key());
    }

    private PassthroughHp build() throws Exception {
        if (!Files.exists(source)) {
            throw new IOException("no libfuse source at " + source + " (pass --libfuse DIR|TARBALL)");
        }
        Files.createDirectories(cache.getParent());
        Path lockFile = cache.getParent().resolve(cache.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) { // two benches on one checkout build one at a time
            String key = key();
            Path stamp = cache.resolve("stamp");
            Path tree = Files.isDirectory(source) ? source : cache.resolve("src");
            Path build = cache.resolve("build");
            if (!Files.exists(stamp) || !Files.readString(stamp).strip().equals(key)) {
                Target.deleteTree(cache);
                Files.createDirectories(cache);
                Path log = cache.resolve("build.log");
                if (!Files.isDirectory(source)) {
                    tree = extract(source, tree, log);
                    Files.writeString(cache.resolve("src-root"), tree.toString());
                }
                List<String> setup = new ArrayList<>(List.of("meson", "setup", build.toString(), tree.toString()));
                setup.addAll(MESON_OPTIONS);
                run(setup, log, 300);
                if (!Files.readString(build.resolve("fuse_config.h")).contains("#define HAVE_URING")) {
                    throw new IOException("libfuse was configured without io_uring support (liburing with SQE128 missing?): see "
                            + build.resolve("meson-logs/meson-log.txt"));
                }
                run(List.of("ninja", "-C", build.toString(), "example/passthrough_hp"), log, 1200);
                Files.writeString(stamp, key + "\n");
            } else if (!Files.isDirectory(source)) {
                tree = Path.of(Files.readString(cache.resolve("src-root")).strip());
            }
            Path binary = build.resolve("example/passthrough_hp");
            if (!Files.isExecutable(binary)) {
                throw new IOException("the build has no " + binary);
            }
            return new PassthroughHp(binary, build.resolve("lib"), version(tree.resolve("meson.build")), source);
        }
    }

    /** Unpacks the tarball into {@code dest}; returns the directory holding its top-level meson.build. */
    private static Path extract(Path tarball, Path dest, Path log) throws Exception {
        Files.createDirectories(dest);
        run(List.of("tar", "-xf", tarball.toString(), "-C", dest.toString()), log, 120);
        if (Files.exists(dest.resolve("meson.build"))) {
            return dest;
        }
        try (Stream<Path> s = Files.list(dest)) {
            List<Path> roots = s.filter(p -> Files.exists(p.resolve("meson.build"))).toList();
            if (roots.size() != 1) {
                throw new IOException(tarball + " holds no libfuse source (no meson.build at its top or one level down)");
            }
            return roots.get(0);
        }
    }

    private static void run(List<String> cmd, Path log, int seconds) throws Exception {
        Files.writeString(log, "$ " + String.join(" ", cmd) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException(cmd.get(0) + " did not finish within " + seconds + " s (see " + log + ")");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ", log " + log + "):\n" + tail);
        }
    }

    /** The project version in libfuse's top meson.build, or "unknown". */
    static String version(Path mesonBuild) throws IOException {
        Matcher m = VERSION.matcher(Files.readString(mesonBuild));
        return m.find() ? m.group(1) : "unknown";
    }

    /**
     * The cache key: SHA-256 over the build options and the source's content (a tarball's bytes; a
     * directory's regular files, by relative path, skipping {@code .git} and meson build directories).
     */
    String key() throws IOException {
        MessageDigest d = sha256();
        d.update(String.join(" ", MESON_OPTIONS).getBytes(StandardCharsets.UTF_8));
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(source)) {
                files = s.filter(Files::isRegularFile).filter(p -> !skipped(source.relativize(p))).sorted().toList();
            }
            for (Path f : files) {
                d.update(("\0" + source.relativize(f) + "\0").getBytes(StandardCharsets.UTF_8));
                digest(d, f);
            }
        } else {
            digest(d, source);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private boolean skipped(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            Path dir = source.resolve(relative.subpath(0, i + 1));
            if (relative.getName(i).toString().equals(".git") || Files.exists(dir.resolve("meson-private"))) {
                return true;
            }
        }
        return false;
    }

    private static void digest(MessageDigest d, Path f) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
