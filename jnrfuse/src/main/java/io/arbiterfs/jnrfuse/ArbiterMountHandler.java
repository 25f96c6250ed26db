package io.arbiterfs.jnrfuse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an unmodified program's {@code fs.mount(...)} on the arbiterfs engine: what {@link JavaLibFuse#fuse_main_real}
 * hands over is mounted with {@link ArbiterJnrFuse} and served until it is unmounted, as libfuse's
 * {@code fuse_main_real} would. Registered as the {@link MountHandler} service of this jar. A clean JVM exit (jnr-fuse's
 * own shutdown hook, SIGTERM, SIGINT) unmounts.
 */
public final class ArbiterMountHandler implements MountHandler {
    private static final Logger log = LoggerFactory.getLogger(ArbiterMountHandler.class);

    private final Map<CapturedMount, ArbiterJnrFuse> running = new ConcurrentHashMap<>();

    @Override
    public int serve(CapturedMount mount) throws InterruptedException {
        MountArguments arguments = mount.arguments();
        if (!arguments.unrecognized().isEmpty()) {
            log.error("cannot mount {}: unrecognized arguments {}", arguments.mountPoint(), arguments.unrecognized());
            return 1;
        }
        ArbiterJnrFuse m;
        try {
            m = ArbiterJnrFuse.start(mount, arguments.programName());
        } catch (IOException e) {
            log.error("cannot mount {} on {}: {}", mount.fileSystem().getClass().getName(), arguments.mountPoint(),
                    e.getMessage());
            return 1;
        }
        running.put(mount, m);
        Thread unmountAtExit = new Thread(() -> closeQuietly(m), "arbiterfs-jnrfuse-unmount");
        Runtime.getRuntime().addShutdownHook(unmountAtExit);
        try {
            m.awaitUnmounted();
        } finally {
            running.remove(mount);
            try {
                Runtime.getRuntime().removeShutdownHook(unmountAtExit);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down: the hook runs (or ran) anyway
            }
        }
        log.info("{} unmounted", arguments.mountPoint());
        return 0;
    }

    private static void closeQuietly(ArbiterJnrFuse m) {
        try {
            if (m.isServing()) {
                m.close();
            }
        } catch (IOException e) {
            log.warn("unmount of {} at exit failed: {}", m.mountpoint(), e.getMessage());
        }
    }

    @Override
    public void exit(CapturedMount mount) {
        ArbiterJnrFuse m = running.get(mount);
        if (m != null) {
            m.unmountAsync();
        }
    }
}
