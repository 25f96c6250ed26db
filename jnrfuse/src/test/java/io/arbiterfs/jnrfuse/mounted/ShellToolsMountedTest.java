package io.arbiterfs.jnrfuse.mounted;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.examples.MemoryFS;

/**
 * Shell tools on jnr-fuse's MemoryFS behave on the bridge as on stock jnr-fuse: the same script runs on both mounts
 * and its transcripts (every command's output and exit code, the mountpoint replaced by {@code MNT}) are compared
 * whole. MemoryFS's own gaps (no chmod, chown, utimens, symlink, link or xattrs; truncate cannot extend) show the
 * same way on both.
 */
@Tag("mount")
class ShellToolsMountedTest {
    /** One command per line, run with {@code sh -c} in the mountpoint. */
    static final List<String> SCRIPT = List.of(
            "ls -l",
            "cat 'Sample file.txt'",
            "mkdir tree tree/sub",
            "echo one > tree/a.txt && cat tree/a.txt",
            "dd if=/dev/zero of=tree/zeros bs=4096 count=16 status=none",
            "head -c 100000 /dev/zero | tr '\\0' 'z' > tree/zs && wc -c < tree/zs",
            "dd if=tree/zs of=tree/copy bs=4096 status=none && cmp tree/zs tree/copy",
            "dd if=tree/zs of=tree/direct bs=4096 count=8 oflag=direct status=none && stat -c '%s' tree/direct",
            "dd if=tree/direct bs=4096 iflag=direct status=none | tr -d z | wc -c",
            "ls -l tree",
            "cp -a tree tree-copy",
            "ls -l tree-copy",
            "cmp tree/zs tree-copy/zs",
            "mv tree-copy/a.txt tree/moved.txt && cat tree/moved.txt",
            "mv tree/zs tree/sub/zs && ls tree tree/sub",
            "ln -s moved.txt tree/link",
            "ln tree/moved.txt tree/hard",
            "truncate -s 10 tree/copy && stat -c '%s' tree/copy",
            "truncate -s 100000 tree/copy; stat -c '%s' tree/copy",
            "chmod 600 tree/moved.txt",
            "touch tree/moved.txt",
            "setfattr -n user.test -v 1 tree/moved.txt",
            "getfattr -d tree/moved.txt",
            "rm tree/moved.txt && ls tree",
            "rm -r tree-copy && ls",
            "rmdir tree/sub",
            "rm tree/sub/zs && rmdir tree/sub && ls tree",
            "stat -c '%n %s %F' tree/*",
            "df -P . | tail -1 | awk '{print $2, $3, $4}'");

    private Path mountpoint;

    @BeforeEach
    void mountpoint() throws IOException {
        mountpoint = Files.createTempDirectory("jnrfuse-shell");
    }

    @AfterEach
    void removeMountpoint() throws IOException {
        Files.deleteIfExists(mountpoint);
    }

    static String transcript(Path dir) throws Exception {
        StringBuilder t = new StringBuilder();
        for (String command : SCRIPT) {
            Commands.Result r = Commands.runIn(dir, List.of("sh", "-c", command), 60);
            t.append("$ ").append(command).append('\n')
                    .append(r.output().replace(dir.toString(), "MNT"))
                    .append("exit ").append(r.exitCode()).append('\n');
        }
        return t.toString();
    }

    @Test
    void memoryFsBehavesOnTheBridgeAsOnStockJnrFuse() throws Exception {
        String stock;
        try (ChildMount m = ChildMount.stock(mountpoint, MemoryFS.class)) {
            stock = transcript(mountpoint);
            m.closeCleanly();
        }
        String bridge;
        try (ChildMount m = ChildMount.bridge(mountpoint, MemoryFS.class)) {
            bridge = transcript(mountpoint);
            m.closeCleanly();
        }
        assertEquals(stock, bridge, "the same shell session on stock jnr-fuse (expected) and on the bridge (actual)");
        // and the session did real work, so the comparison cannot pass on two equally broken mounts
        assertTrue(bridge.contains("$ dd if=tree/zs of=tree/copy bs=4096 status=none && cmp tree/zs tree/copy\nexit 0\n"), bridge);
        assertTrue(bridge.contains("$ cmp tree/zs tree-copy/zs\nexit 0\n"), bridge);
        assertTrue(bridge.contains("cat tree/moved.txt\none\nexit 0\n"), bridge);
        assertTrue(bridge.contains("tr -d z | wc -c\n0\nexit 0\n"), bridge);
    }
}
