package io.arbiterfs.jnrfuse.mounted;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * libfuse 2, which stock jnr-fuse needs: where the dynamic linker finds it, and installing it (Debian: libfuse2) as
 * root with apt when it is missing, as {@code ./arbiterfs bench} does for its jnr-fuse baseline. CI installs it.
 */
final class Libfuse2 {
    private Libfuse2() {}

    /** libfuse.so.2 as {@code ldconfig -p} lists it, or null. */
    static Path installed() throws IOException {
        try {
            return Commands.run("ldconfig", "-p").lines()
                    .filter(l -> l.trim().startsWith("libfuse.so.2 ") && l.contains("x86-64") && l.contains("=>"))
                    .map(l -> Path.of(l.substring(l.indexOf("=>") + 2).trim()))
                    .findFirst().orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Makes sure libfuse 2 is installed; fails the test, saying why, if it cannot be. */
    static void require() throws Exception {
        if (installed() != null) {
            return;
        }
        Commands.Result r = Commands.runIn(null, List.of("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfuse2"
                + " || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libfuse2)"), 600);
        assertNotNull(installed(), "stock jnr-fuse needs libfuse 2 (apt-get install libfuse2), and installing it failed: "
                + r.output());
    }
}
