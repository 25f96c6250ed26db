package io.arbiterfs.jnrfuse.mounted;

import io.arbiterfs.jnrfuse.ArbiterFfiProvider;
import io.arbiterfs.jnrfuse.ArbiterJnrFuse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import ru.serce.jnrfuse.AbstractFuseFS;

/**
 * The child JVM of a mounted test: {@code ServeMain bridge|stock CLASS MOUNTPOINT [OPTION_LIST...]} constructs the
 * jnr-fuse file system {@code CLASS} and mounts it, on the bridge ({@link ArbiterJnrFuse#mount}, libfuse not
 * loaded) or on stock jnr-fuse ({@code AbstractFuseFS.mount}, real libfuse 2), prints {@value #READY} once it
 * answers, and unmounts when its stdin closes.
 */
public final class ServeMain {
    static final String READY = "SERVE-READY";

    private ServeMain() {}

    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Path mountpoint = Path.of(args[2]);
        String[] options = Arrays.copyOfRange(args, 3, args.length);
        if (engine.equals("bridge")) {
            ArbiterFfiProvider.install();
        }
        AbstractFuseFS fs = Class.forName(args[1]).asSubclass(AbstractFuseFS.class).getConstructor().newInstance();
        if (engine.equals("bridge")) {
            try (ArbiterJnrFuse m = ArbiterJnrFuse.mount(fs, mountpoint, options)) {
                ready();
                waitForStdinToClose();
            }
        } else {
            String[] fuseOpts = options.length == 0 ? new String[0] : new String[] {"-o", String.join(",", options)};
            fs.mount(mountpoint, false, false, fuseOpts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!mounted(mountpoint)) {
                if (System.nanoTime() > deadline) {
                    System.out.println("FAILED: not mounted after 30 s");
                    System.exit(1);
                }
                Thread.sleep(20); // stock jnr-fuse gives no readiness signal: poll the mount table
            }
            Files.getLastModifiedTime(mountpoint); // answers
            ready();
            waitForStdinToClose();
            fs.umount();
        }
        System.exit(0);
    }

    private static void ready() {
        System.out.println(READY);
        System.out.flush();
    }

    private static void waitForStdinToClose() throws java.io.IOException {
        while (System.in.read() >= 0) {
            // serve until the test closes our stdin
        }
    }

    static boolean mounted(Path mountpoint) throws java.io.IOException {
        String mp = mountpoint.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(l -> l.split(" ")).anyMatch(f -> f.length > 2 && f[1].equals(mp) && f[2].startsWith("fuse"));
    }
}
