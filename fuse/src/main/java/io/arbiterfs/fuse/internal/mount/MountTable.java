package io.arbiterfs.fuse.internal.mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads /proc/self/mounts (octal escapes decoded) to tell what is mounted where. */
public final class MountTable {
    public record Entry(String source, String target, String type, String options) {}

    private MountTable() {}

    public static List<Entry> entries() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(l -> l.split(" "))
                .filter(f -> f.length >= 4)
                .map(f -> new Entry(unescape(f[0]), unescape(f[1]), f[2], f[3]))
                .toList();
    }

    public static Optional<Entry> at(Path mountpoint) throws IOException {
        String target = mountpoint.toAbsolutePath().normalize().toString();
        Entry found = null;
        for (Entry e : entries()) {
            if (e.target().equals(target)) {
                found = e; // the last one is on top
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the topmost mount at {@code mountpoint} has file system type {@code type}. */
    public static boolean hasType(Path mountpoint, String type) throws IOException {
        return at(mountpoint).map(e -> e.type().equals(type)).orElse(false);
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
