package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A built xfstests tree, cached: the source (a tarball or a checkout, never changed itself) is
 * copied to {@code CACHE/build-KEY} and built there with make; KEY is a digest of the tarball, or
 * of the checkout's file names, sizes and modification times (.git and results/ left out), so a
 * changed source builds anew and an unchanged one is reused.
 */
public final class XfstestsBuild {
    static final String STAMP = ".arbiterfs-built";

    private XfstestsBuild() {}

    /** The built tree for {@code source}; builds it first if the cache has none for this source. */
    public static Path prepare(Path source, Path cache, Consumer<String> out) throws IOException {
        if (!Files.exists(source)) {
            throw new IOException("xfstests source " + source + " does not exist");
        }
        String key = key(source);
        Path tree = cache.resolve("build-" + key);
        if (Files.isRegularFile(tree.resolve(STAMP))) {
            out.accept("XFSTESTS      -- " + tree + " (cached build of " + source + ")");
            return tree;
        }
        Files.createDirectories(cache);
        Path work = cache.resolve("build-" + key + ".partial");
        deleteTree(work);
        deleteTree(tree);
        Files.createDirectories(work);
        out.accept("XFSTESTS      -- building " + source + " in " + tree + " (about a minute)");
        Path root = unpack(source, work);
        Path log = cache.resolve("build-" + key + ".log");
        int cpus = Runtime.getRuntime().availableProcessors();
        Tools.Result make = Tools.run(List.of("make", "-j" + cpus), root, Duration.ofMinutes(30));
        Files.writeString(log, make.stdout() + "\n--- stderr ---\n" + make.stderr());
        if (make.status() != 0) {
            throw new IOException("building xfstests failed (make exit " + make.status() + "), see " + log + ":\n"
                    + tail(make.stderr().isBlank() ? make.stdout() : make.stderr(), 15));
        }
        for (String needed : List.of("check", "ltp/fsx", "src/feature")) {
            if (!Files.isExecutable(root.resolve(needed))) {
                throw new IOException("the xfstests build has no " + needed + " (see " + log + ")");
            }
        }
        Files.writeString(root.resolve(STAMP), "source " + source + "\nkey " + key + "\n");
        Files.move(root, tree);
        deleteTree(work);
        return tree;
    }

    /** The cache key of a source: tarball bytes, or the checkout's listing. */
    static String key(Path source) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(source)) {
            try (InputStream in = Files.newInputStream(source)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
        } else {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path p : files.filter(Files::isRegularFile).map(source::relativize)
                        .filter(r -> !r.startsWith(".git") && !r.startsWith("results")).sorted().toList()) {
                    Path abs = source.resolve(p);
                    sha.update((p + "\0" + Files.size(abs) + "\0" + Files.getLastModifiedTime(abs).toMillis() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** Unpacks a tarball or copies a checkout into {@code work}; returns the tree's root. */
    private static Path unpack(Path source, Path work) throws IOException {
        Tools.Result r;
        if (Files.isRegularFile(source)) {
            r = Tools.run(List.of("tar", "-xf", source.toString(), "-C", work.toString()), null, Duration.ofMinutes(10));
        } else {
            Path copy = Files.createDirectory(work.resolve("xfstests"));
            r = Tools.run(List.of("sh", "-c", "tar -C \"$1\" --exclude=./.git --exclude=./results -cf - . | tar -C \"$2\" -xf -",
                    "copy", source.toString(), copy.toString()), null, Duration.ofMinutes(10));
        }
        if (r.status() != 0) {
            throw new IOException("cannot unpack " + source + ": " + r.stderr().strip());
        }
        List<Path> top;
        try (Stream<Path> s = Files.list(work)) {
            top = s.toList();
        }
        Path root = top.size() == 1 && Files.isDirectory(top.get(0)) ? top.get(0) : work;
        if (!Files.isRegularFile(root.resolve("check")) || !Files.isDirectory(root.resolve("tests/generic"))) {
            throw new IOException(source + " is not an xfstests tree (no check and tests/generic at its top)");
        }
        if (root.equals(work)) {
            // a tarball without a top directory: give it one, so the tree can move into place
            Path moved = Files.createDirectory(work.resolve(".tree"));
            for (Path p : top) {
                Files.move(p, moved.resolve(p.getFileName()));
            }
            root = moved;
        }
        return root;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String tail(String text, int lines) {
        String[] l = text.strip().split("\n");
        return String.join("\n", List.of(l).subList(Math.max(0, l.length - lines), l.length));
    }
}
