package io.arbiterfs.jnrfuse;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.arbitration.PathPolicy;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.status.StatusXattrs;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.jnrfuse.bridge.JnrFuseBridge;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.AbstractFuseFS;

/**
 * A jnr-fuse file system mounted on the arbiterfs engine, with libfuse not involved: the bridge
 * ({@link JnrFuseBridge}) under the IO-mode arbitration and the status attributes, as {@code ./arbiterfs mount} stacks
 * them.
 *
 * <pre>{@code
 * try (ArbiterJnrFuse m = ArbiterJnrFuse.mount(new MemoryFS(), Path.of("/mnt/mem"), "parallel_dio")) {
 *     m.awaitUnmounted();   // until umount /mnt/mem (or ./arbiterfs unmount)
 * }
 * }</pre>
 *
 * {@link #mount} returns once the mount answers. Unmodified programs (whose {@code main} calls jnr-fuse's own
 * {@code mount}) arrive here through {@link ArbiterMountHandler}.
 */
public final class ArbiterJnrFuse implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArbiterJnrFuse.class);

    private final ArbiterDaemon.Running running;
    private final JnrFuseBridge bridge;
    private final CapturedMount captured;
    private final JnrFuseOptions options;

    private ArbiterJnrFuse(ArbiterDaemon.Running running, JnrFuseBridge bridge, CapturedMount captured,
                           JnrFuseOptions options) {
        this.running = running;
        this.bridge = bridge;
        this.captured = captured;
        this.options = options;
    }

    /**
     * Mounts {@code fs} on {@code mountpoint}. {@code options} are {@code -o} lists, as jnr-fuse's
     * {@code mount(..., fuseOpts)} takes them ({@code "-o", "a,b"}) or plain ({@code "a,b"}): libfuse 2's options
     * and arbiterfs' (README, "Running a jnr-fuse file system on arbiterfs").
     *
     * @throws IOException naming the problem (a bad option, a busy or missing mountpoint, no permission); nothing is
     *     left mounted then
     */
    public static ArbiterJnrFuse mount(AbstractFuseFS fs, Path mountpoint, String... options) throws IOException {
        List<String> lists = Arrays.asList(options);
        MountArguments arguments = new MountArguments(fs.getClass().getName(), mountpoint, true, false, false,
                split(lists), List.of());
        CodeHandler handler = new CodeHandler();
        CapturedMount captured = new CapturedMount(fs, JnrFuseInternals.operationsOf(fs), arguments, null, handler);
        ArbiterJnrFuse m = start(captured, fs.getClass().getSimpleName());
        handler.mounted = m;
        return m;
    }

    private static List<String> split(List<String> lists) {
        List<String> items = new ArrayList<>();
        for (String l : lists) {
            if (l != null && !l.equals("-o")) {
                items.addAll(Arrays.asList((l.startsWith("-o") ? l.substring(2) : l).split(",")));
            }
        }
        items.removeIf(String::isBlank);
        return items;
    }

    /**
     * Mounts what {@code fuse_main_real} (or {@link #mount}) captured, with its arguments' options and mountpoint.
     * A file system constructed while jnr-ffi bound real libfuse gets {@link JavaLibFuse} in its {@code libFuse}
     * field, so that its {@code getContext()} reads the bridge's context.
     */
    static ArbiterJnrFuse start(CapturedMount captured, String defaultFsname) throws IOException {
        AbstractFuseFS fs = captured.fileSystem();
        if (!(JnrFuseInternals.libFuseOf(fs) instanceof JavaLibFuse)) {
            JnrFuseInternals.replaceLibFuse(fs, JavaLibFuse.instance());
        }
        MountArguments arguments = captured.arguments();
        JnrFuseOptions options;
        PathPolicy policy;
        try {
            options = JnrFuseOptions.parse(arguments.options());
            policy = ArbiterDaemon.validate(options.mount());
        } catch (MountOptionException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (arguments.debug()) {
            DebugLogging.enable();
        }
        JnrFuseBridge bridge = new JnrFuseBridge(captured, options.bridge());
        ArbiterDaemon.Stack stack = ArbiterDaemon.stack(bridge, bridge.facts(), options.mount(), policy,
                c -> Optional.empty());
        String fsname = options.fsname() != null ? options.fsname() : defaultFsname;
        FuseMount.Builder builder = ArbiterDaemon.builder(stack.top(), fsname, arguments.mountPoint(), options.mount())
                .withoutFeatures(Feature.values())
                .features(features(options, bridge).toArray(Feature[]::new))
                .maxWrite(options.maxWrite());
        if (arguments.singleThreaded()) {
            builder.threads(1);
        }
        CapturedMount.register(captured);
        try {
            FuseMount fuseMount = builder.mount();
            log.info("jnr-fuse file system {} mounted on {} ({})", fs.getClass().getName(), arguments.mountPoint(),
                    options.mount().render());
            return new ArbiterJnrFuse(new ArbiterDaemon.Running(fuseMount, stack), bridge, captured, options);
        } catch (IOException | RuntimeException e) {
            CapturedMount.unregister(captured);
            throw e;
        }
    }

    /**
     * The INIT features a libfuse 2 file system can live with: asynchronous reads and big writes (libfuse 2 has
     * both), the kernel's own cache invalidation, MAP_SHARED on direct-IO opens (allow_mmap), locks only if the file
     * system implements them, O_TRUNC in open only with atomic_o_trunc, asynchronous direct IO only where parallel
     * direct writes were asked for. Not: the writeback cache, POSIX ACLs, READDIRPLUS, export support, parallel
     * directory operations, HANDLE_KILLPRIV_V2 (which would leave clearing set-user-id bits to the file system).
     */
    static Set<Feature> features(JnrFuseOptions options, JnrFuseBridge bridge) {
        EnumSet<Feature> f = EnumSet.of(Feature.BIG_WRITES, Feature.AUTO_INVAL_DATA);
        if (options.asyncRead()) f.add(Feature.ASYNC_READ);
        if (options.maxWrite() > JnrFuseOptions.LIBFUSE2_MAX_WRITE) f.add(Feature.MAX_PAGES);
        if (options.mount().parallelDio) f.add(Feature.ASYNC_DIO);
        if (options.mount().allowMmap) f.add(Feature.DIRECT_IO_ALLOW_MMAP);
        if (options.posixLocks() && bridge.implementsPosixLocks()) f.add(Feature.POSIX_LOCKS);
        if (options.flockLocks() && bridge.implementsFlock()) f.add(Feature.FLOCK_LOCKS);
        if (options.bridge().atomicOTrunc()) f.add(Feature.ATOMIC_O_TRUNC);
        return f;
    }

    public Path mountpoint() {
        return running.mount().mountpoint();
    }

    /** The options the mount runs with. */
    public JnrFuseOptions options() {
        return options;
    }

    /** The status attributes' view of the mount (what {@code ./arbiterfs status} shows). */
    public StatusXattrs<?, ?> status() {
        return running.status();
    }

    /** The bridge (node table size, the file system's private data). */
    public JnrFuseBridge bridge() {
        return bridge;
    }

    public boolean isServing() {
        return running.mount().isServing();
    }

    /** Blocks until the mount is gone (unmounted from outside, by {@code fuse_exit}, or by {@link #close}). */
    public void awaitUnmounted() throws InterruptedException {
        running.mount().awaitUnmounted();
        CapturedMount.unregister(captured);
    }

    public boolean awaitUnmounted(Duration timeout) throws InterruptedException {
        boolean gone = running.mount().awaitUnmounted(timeout);
        if (gone) {
            CapturedMount.unregister(captured);
        }
        return gone;
    }

    /** Unmounts, waiting at most 5 s for open files before aborting the connection. */
    @Override
    public void close() throws IOException {
        try {
            running.close();
        } finally {
            CapturedMount.unregister(captured);
        }
    }

    /** Unmounts from a thread of its own (for {@code fuse_exit}, which a request thread may call). */
    void unmountAsync() {
        Thread t = new Thread(() -> {
            try {
                close();
            } catch (IOException e) {
                log.warn("unmount of {} failed: {}", mountpoint(), e.getMessage());
            }
        }, "arbiterfs-jnrfuse-exit");
        t.setDaemon(true);
        t.start();
    }

    /** What {@code fuse_exit} and poll calls of a file system mounted from code reach. */
    private static final class CodeHandler implements MountHandler {
        volatile ArbiterJnrFuse mounted;

        @Override
        public int serve(CapturedMount mount) {
            throw new UnsupportedOperationException("mounted by ArbiterJnrFuse.mount, not by fuse_main_real");
        }

        @Override
        public void exit(CapturedMount mount) {
            ArbiterJnrFuse m = mounted;
            if (m != null) {
                m.unmountAsync();
            }
        }
    }
}
