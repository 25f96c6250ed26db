package io.arbiterfs.jnrfuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.LibFuse;
import ru.serce.jnrfuse.struct.FuseBufvec;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseOperations;
import ru.serce.jnrfuse.struct.FusePollhandle;

import java.util.Arrays;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * jnr-fuse's {@link LibFuse} binding answered in Java, so that no libfuse is loaded. These seven functions are
 * all jnr-fuse 0.5.8 calls in libfuse ({@code JnrFuseInternalsTest} checks that against its bytecode):
 * <ul>
 *   <li>{@code fuse_main_real}: from {@code AbstractFuseFS.mount} (via {@code execMount}); handed to a
 *       {@link MountHandler} together with the {@code AbstractFuseFS} it came from;</li>
 *   <li>{@code fuse_get_context}: from {@code getContext()} and the {@code init} callback; answered with the
 *       calling thread's {@link JnrFuseContext};</li>
 *   <li>{@code fuse_buf_size}, {@code fuse_buf_copy}: from file systems' {@code write_buf}/{@code read_buf}
 *       (jnr-fuse's {@code FuseStubFS.write_buf}); done in Java with libfuse's semantics ({@link FuseBufs});</li>
 *   <li>{@code fuse_exit}, {@code fuse_notify_poll}, {@code fuse_pollhandle_destroy}: routed to the mount's
 *       handler by the {@code struct fuse *} stand-in ({@link CapturedMount#fuseHandle()}).</li>
 * </ul>
 */
public final class JavaLibFuse implements LibFuse {
    private static final Logger log = LoggerFactory.getLogger(JavaLibFuse.class);
    private static final JavaLibFuse INSTANCE = new JavaLibFuse();

    private JavaLibFuse() {}

    public static JavaLibFuse instance() {
        return INSTANCE;
    }

    @Override
    public long fuse_buf_size(FuseBufvec bufv) {
        return FuseBufs.size(Struct.getMemory(bufv).address());
    }

    @Override
    public long fuse_buf_copy(FuseBufvec dstv, FuseBufvec srcv, int flags) {
        return FuseBufs.copy(Struct.getMemory(dstv).address(), Struct.getMemory(srcv).address());
    }

    @Override
    public void fuse_pollhandle_destroy(FusePollhandle ph) {
        CapturedMount mount = mountOf(ph);
        if (mount != null) {
            mount.handler().destroyPollHandle(mount, ph.kh.get());
        }
    }

    @Override
    public int fuse_notify_poll(FusePollhandle ph) {
        CapturedMount mount = mountOf(ph);
        return mount == null ? -ru.serce.jnrfuse.ErrorCodes.EINVAL() : mount.handler().notifyPoll(mount, ph.kh.get());
    }

    private static CapturedMount mountOf(FusePollhandle ph) {
        Pointer fuse = ph == null ? null : ph.f.get();
        return fuse == null ? null : CapturedMount.byHandle(fuse.address());
    }

    @Override
    public FuseContext fuse_get_context() {
        return JnrFuseContext.current();
    }

    @Override
    public void fuse_exit(Pointer fuse) {
        CapturedMount mount = fuse == null ? null : CapturedMount.byHandle(fuse.address());
        if (mount == null) {
            log.warn("fuse_exit on an unknown fuse handle {}", fuse);
            return;
        }
        mount.handler().exit(mount);
    }

    /**
     * Where an unmodified program's {@code fs.mount(...)} arrives. Returns 1 (libfuse's failure result, which
     * jnr-fuse turns into a {@code FuseException}) when the arguments, the file system or the handler are not
     * usable, with the reason logged.
     */
    @Override
    public int fuse_main_real(int argc, String[] argv, FuseOperations op, int op_size, Pointer user_data) {
        try {
            if (op_size != LibFuse2Abi.OPERATIONS_SIZE) {
                throw new IncompatibleJnrFuseException("fuse_main_real got a " + op_size
                        + "-byte fuse_operations, libfuse 2.9's is " + LibFuse2Abi.OPERATIONS_SIZE, null);
            }
            MountArguments arguments = MountArguments.parse(Arrays.copyOf(argv, argc));
            AbstractFuseFS fs = JnrFuseInternals.fileSystemOf(op);
            MountHandler handler = findHandler();
            CapturedMount mount = CapturedMount.register(new CapturedMount(fs, op, arguments, user_data, handler));
            log.debug("fuse_main_real {} for {} served by {}", arguments, fs.getClass().getName(), handler.getClass().getName());
            try {
                return handler.serve(mount);
            } finally {
                CapturedMount.unregister(mount);
            }
        } catch (Exception | LinkageError e) {
            log.error("cannot serve the jnr-fuse mount {}: {}", Arrays.toString(argv), e.toString(), e);
            return 1;
        }
    }

    static MountHandler findHandler() throws ReflectiveOperationException {
        String name = System.getProperty(MountHandler.HANDLER_PROPERTY);
        if (name != null) {
            Class<?> type = Class.forName(name, true, handlerLoader());
            if (!MountHandler.class.isAssignableFrom(type)) {
                throw new IllegalStateException(MountHandler.HANDLER_PROPERTY + "=" + name + " is not a " + MountHandler.class.getName());
            }
            return (MountHandler) type.getConstructor().newInstance();
        }
        Iterator<MountHandler> found = ServiceLoader.load(MountHandler.class, handlerLoader()).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("no " + MountHandler.class.getName() + ": set -D"
                    + MountHandler.HANDLER_PROPERTY + "=CLASS or put one on the class path as a service");
        }
        return found.next();
    }

    private static ClassLoader handlerLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : JavaLibFuse.class.getClassLoader();
    }
}
