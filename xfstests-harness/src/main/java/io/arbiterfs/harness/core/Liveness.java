package io.arbiterfs.harness.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Does the mount still answer? A stat from another thread with a timeout, so a hung daemon cannot hang us. */
public final class Liveness {
    private Liveness() {}

    public static boolean answers(Path mountpoint) {
        CompletableFuture<Boolean> stat = CompletableFuture.supplyAsync(() -> {
            try {
                Files.readAttributes(mountpoint, "unix:ino");
                try (var s = Files.list(mountpoint)) {
                    s.count();
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        try {
            return stat.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
