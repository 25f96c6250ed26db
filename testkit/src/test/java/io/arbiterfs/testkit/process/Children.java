package io.arbiterfs.testkit.process;

import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.testkit.EmptyDirFs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Child mains for ChildProcessTest: {@code Children WHAT MOUNTPOINT}. */
public final class Children {
    private Children() {}

    public static void main(String[] args) throws Exception {
        Path mnt = Path.of(args[1]);
        switch (args[0]) {
            case "exit-early" -> {
                System.err.println("cannot mount: the test says so");
                System.exit(3);
            }
            case "wrong-mountpoint" -> ChildProcess.announceReady(mnt.resolve("elsewhere"));
            case "silent" -> System.out.println("starting, but never ready");
            case "nothing-mounted" -> ChildProcess.announceReady(mnt);
            case "serve" -> {
                FuseMount m = EmptyDirFs.mount(mnt);
                ChildProcess.unmountOnSigterm(() -> {
                    try {
                        m.unmount(Duration.ofSeconds(5));
                    } catch (java.io.IOException e) {
                        System.err.println("unmount failed: " + e);
                    }
                });
                ChildProcess.announceReady(mnt);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        new CountDownLatch(1).await(); // until SIGTERM or SIGKILL
    }
}
