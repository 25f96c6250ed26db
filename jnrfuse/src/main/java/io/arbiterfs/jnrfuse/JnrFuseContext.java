package io.arbiterfs.jnrfuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.struct.FuseContext;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.*;

/**
 * What {@code AbstractFuseFS.getContext()} returns once {@link JavaLibFuse} answers {@code fuse_get_context()}:
 * one {@link FuseContext} per thread, over its own 40 bytes of native memory, that the code serving a request
 * fills from the request header before calling into the file system.
 *
 * <p>libfuse 2 keeps the same thing in a pthread key ({@code lib/fuse.c}, {@code fuse_get_context_internal} and
 * {@code req_fuse_prepare}); outside a libfuse request loop that key is not even created, which is why jnr-fuse's
 * own {@code getContext()} cannot work without libfuse.
 */
public final class JnrFuseContext {
    private static final ThreadLocal<FuseContext> CURRENT = ThreadLocal.withInitial(JnrFuseContext::allocate);

    private JnrFuseContext() {}

    private static FuseContext allocate() {
        Pointer memory = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(CONTEXT_SIZE, true);
        return FuseContext.of(memory);
    }

    /** The calling thread's context, as {@code fuse_get_context()} returns it: the same object every time. */
    public static FuseContext current() {
        return CURRENT.get();
    }

    /**
     * Fills the calling thread's context for one request, as libfuse's {@code req_fuse_prepare} does, and
     * returns it. {@code fuseHandle} stands for libfuse's {@code struct fuse *} (jnr-fuse only hands it back to
     * {@code fuse_exit}); {@code privateData} is what the file system's {@code init} returned.
     */
    public static FuseContext enter(Pointer fuseHandle, Pointer privateData, int uid, int gid, int pid, int umask) {
        FuseContext context = CURRENT.get();
        Pointer memory = jnr.ffi.Struct.getMemory(context);
        memory.putAddress(CONTEXT_FUSE, fuseHandle == null ? 0 : fuseHandle.address());
        memory.putInt(CONTEXT_UID, uid);
        memory.putInt(CONTEXT_GID, gid);
        memory.putInt(CONTEXT_PID, pid);
        memory.putAddress(CONTEXT_PRIVATE_DATA, privateData == null ? 0 : privateData.address());
        memory.putInt(CONTEXT_UMASK, umask);
        return context;
    }

    /** Zeroes the calling thread's context (libfuse does the same before {@code init} and {@code destroy}). */
    public static void clear() {
        Pointer memory = jnr.ffi.Struct.getMemory(CURRENT.get());
        memory.setMemory(0, CONTEXT_SIZE, (byte) 0);
    }
}
