package io.arbiterfs.daemon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes /sbin/mount.fuse.arbiterfs so mount(8), fstab and xfstests can mount arbiterfs. */
@Command(name = "install-helper", description = "Install the mount(8) helper /sbin/mount.fuse.arbiterfs.")
final class InstallHelperCommand implements Callable<Integer> {
    @Option(names = "--path", description = "Where to write the helper (default ${DEFAULT-VALUE}).", defaultValue = "/sbin/mount.fuse.arbiterfs")
    Path path;

    @Override
    public Integer call() {
        String launcher = System.getProperty("arbiterfs.launcher", "");
        if (launcher.isEmpty()) {
            System.err.println("arbiterfs: run install-helper through the ./arbiterfs launcher");
            return Main.EXIT_USAGE;
        }
        // mount(8) runs: mount.fuse.arbiterfs SOURCE MOUNTPOINT [-nsv] -o rw,opts (and -o ...,remount,... to
        // remount); the launcher's mount returns once live. --helper: silent on success, dev/suid unless
        // nosuid/nodev (mount(8)'s semantics, as libfuse's mount.fuse3), remount on the live mount.
        String script = "#!/bin/sh\n"
                + "# mount(8) helper for arbiterfs, written by 'arbiterfs install-helper'\n"
                + "exec " + launcher + " mount --helper \"$@\"\n";
        try {
            Files.writeString(path, script);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            System.out.println("arbiterfs: installed " + path);
            return 0;
        } catch (IOException e) {
            System.err.println("arbiterfs: cannot write " + path + ": " + e.getMessage());
            return 1;
        }
    }
}
