package io.arbiterfs.daemon.arbitration;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The policy file: lines of {@code GLOB MODE}, first match wins, {@code #} starts a comment. Globs
 * are matched against the path relative to the mount root ({@code db/**}, {@code *.log}); MODE is
 * one of direct, parallel, cached, passthrough. Lets an admin pin a database directory to parallel
 * direct IO whatever the opener asks.
 */
public final class PathPolicy {
    /** How opens of matching files are answered. */
    public enum Mode {
        /** FOPEN_DIRECT_IO, writes serialized by the kernel. */
        DIRECT,
        /** FOPEN_DIRECT_IO | FOPEN_PARALLEL_DIRECT_WRITES. */
        PARALLEL,
        /** The page cache: no FOPEN_DIRECT_IO, even for O_DIRECT opens (the kernel still honours O_DIRECT itself). */
        CACHED,
        /** FOPEN_PASSTHROUGH: reads and writes go to the backing file inside the kernel. */
        PASSTHROUGH
    }

    private record Rule(String glob, PathMatcher matcher, Mode mode) {}

    private final List<Rule> rules;

    private PathPolicy(List<Rule> rules) {
        this.rules = rules;
    }

    public static PathPolicy empty() {
        return new PathPolicy(List.of());
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Reads a policy file; the message of a failure names the file, the line and the problem. */
    public static PathPolicy load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("policy file " + file + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        return parse(Files.readAllLines(file), file.toString());
    }

    public static PathPolicy parse(List<String> lines, String origin) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+");
            String where = origin + ":" + (i + 1) + ": ";
            if (parts.length != 2) {
                throw new IOException(where + "expected 'GLOB MODE', got '" + text + "'");
            }
            Mode mode;
            try {
                mode = Mode.valueOf(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "unknown mode '" + parts[1] + "' (direct, parallel, cached or passthrough)");
            }
            String glob = parts[0].startsWith("/") ? parts[0].substring(1) : parts[0];
            try {
                rules.add(new Rule(glob, FileSystems.getDefault().getPathMatcher("glob:" + glob), mode));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "bad glob '" + parts[0] + "': " + e.getMessage());
            }
        }
        return new PathPolicy(List.copyOf(rules));
    }

    /** The mode for a path relative to the mount root, if a rule matches. */
    public Optional<Mode> modeFor(String relativePath) {
        if (rules.isEmpty() || relativePath == null) {
            return Optional.empty();
        }
        Path p = Path.of(relativePath);
        for (Rule r : rules) {
            if (r.matcher().matches(p)) {
                return Optional.of(r.mode());
            }
        }
        return Optional.empty();
    }
}
