package io.arbiterfs.harness.xfstests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * The mount(8) helper for another FUSE server ({@code --server-cmd}), so the same xfstests set-up
 * can run against it: {@code /sbin/mount.fuse.NAME TAG:DIR MOUNTPOINT -o OPTS} runs
 * {@code CMD DIR MOUNTPOINT -o OPTS,subtype=NAME,fsname=TAG:DIR[,dev][,suid]}. The command must
 * return once the mount is live (libfuse servers do: they daemonize after mounting). Like
 * mount.fuse3 the helper adds dev and suid unless nosuid/nodev is given; a remount is mount(2)
 * MS_REMOUNT on the live mount ({@code mount -i}: no helper, the server keeps running).
 */
public final class ServerHelper implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private final Path path;

    private ServerHelper(Path path) {
        this.path = path;
    }

    /** The subtype for a server command: its program's file name ({@code .../passthrough_hp --x} gives passthrough_hp). */
    public static String subtypeOf(String command) {
        String program = command.strip().split("\\s+")[0];
        String name = Path.of(program).getFileName().toString();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cannot name a FUSE subtype after '" + program + "'");
        }
        if (name.equals("arbiterfs")) {
            throw new IllegalArgumentException("--server-cmd is for servers other than arbiterfs");
        }
        return name;
    }

    /** The helper's text. */
    static String script(String subtype, String command) {
        return String.join("\n",
                "#!/bin/sh",
                "# mount(8) helper for xfstests against " + command,
                "# written by ./arbiterfs xfstests --server-cmd and removed after the run (xfstests-harness/README.md)",
                "src=$1; mnt=$2; shift 2; opts=",
                "while [ $# -gt 0 ]; do case $1 in -o) opts=$2; shift 2 ;; *) shift ;; esac; done",
                "case \",$opts,\" in *,remount,*) exec mount -i -o \"$opts\" \"$mnt\" ;; esac",
                "extra=subtype=" + subtype + ",fsname=$src",
                "case \",$opts,\" in *,nodev,*) ;; *) extra=$extra,dev ;; esac",
                "case \",$opts,\" in *,nosuid,*) ;; *) extra=$extra,suid ;; esac",
                "exec " + command.strip() + " \"${src#*:}\" \"$mnt\" -o \"${opts:+$opts,}$extra\"",
                "");
    }

    /** Writes the helper to {@code dir}/mount.fuse.SUBTYPE; {@link #close} removes it. */
    public static ServerHelper install(Path dir, String subtype, String command) throws IOException {
        Path p = dir.resolve("mount.fuse." + subtype);
        Files.writeString(p, script(subtype, command));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ServerHelper(p);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
