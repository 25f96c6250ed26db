package io.arbiterfs.daemon.arbitration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The command name of a process, as the status command shows who did what. */
final class ProcessNames {
    private ProcessNames() {}

    /** /proc/PID/comm, or null for pid 0 (kernel-initiated requests) or a process already gone. */
    static String of(int pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
