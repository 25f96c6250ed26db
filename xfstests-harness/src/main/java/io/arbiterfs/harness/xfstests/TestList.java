package io.arbiterfs.harness.xfstests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list of xfstests tests (xfstests-harness/lists/*.list): one test per line, {@code generic/NNN}
 * to run it, {@code generic/NNN  - REASON} to leave it out with the reason; {@code #} starts a
 * comment. A line that is neither is an error naming the file and line.
 */
public final class TestList {
    /** One line: the test, and why it is left out (null: it runs). */
    public record Entry(String test, String excludedBecause) {
        public boolean runs() {
            return excludedBecause == null;
        }
    }

    static final Pattern NAME = Pattern.compile("[a-z0-9_-]+/\\d{3,}");
    private static final Pattern LINE = Pattern.compile("^(" + NAME.pattern() + ")(?:\\s+-\\s+(\\S.*))?$");

    private final Map<String, Entry> entries;

    private TestList(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static TestList load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no test list " + file);
        }
        return parse(Files.readString(file), file.toString());
    }

    public static TestList parse(String text, String origin) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                throw new IllegalArgumentException(origin + ":" + (i + 1) + ": not 'group/NNN' or 'group/NNN  - reason': " + l);
            }
            if (entries.put(m.group(1), new Entry(m.group(1), m.group(2))) != null) {
                throw new IllegalArgumentException(origin + ":" + (i + 1) + ": " + m.group(1) + " is listed twice");
            }
        }
        return new TestList(entries);
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** The tests that run, in list order. */
    public List<String> runnable() {
        return entries.values().stream().filter(Entry::runs).map(Entry::test).toList();
    }

    /** The tests left out, in list order. */
    public List<Entry> excluded() {
        return entries.values().stream().filter(e -> !e.runs()).toList();
    }

    /** Why {@code test} is left out, if it is. */
    public Optional<String> excludedBecause(String test) {
        Entry e = entries.get(test);
        return e == null ? Optional.empty() : Optional.ofNullable(e.excludedBecause());
    }

    /** Test names from a {@code --tests} value: comma- or space-separated, each {@code group/NNN}. */
    public static List<String> names(List<String> values) {
        List<String> names = new ArrayList<>();
        for (String v : values) {
            for (String n : v.split("[,\\s]+")) {
                if (n.isEmpty()) {
                    continue;
                }
                if (!NAME.matcher(n).matches()) {
                    throw new IllegalArgumentException("not an xfstests test name (group/NNN, e.g. generic/095): " + n);
                }
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return names;
    }
}
