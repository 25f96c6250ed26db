package io.arbiterfs.jnrfuse;

import jnr.ffi.BaseStruct;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.struct.FuseOperations;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code fuse_main_real} call as {@link JavaLibFuse} received it: the file system, its struct of callbacks,
 * the parsed arguments, and a native {@link #fuseHandle()} standing in for libfuse's {@code struct fuse *}.
 */
public final class CapturedMount {
    private static final Map<Long, CapturedMount> BY_HANDLE = new ConcurrentHashMap<>();

    private final AbstractFuseFS fileSystem;
    private final FuseOperations operations;
    private final MountArguments arguments;
    private final Pointer userData;
    private final MountHandler handler;
    private final Pointer fuseHandle;
    private final Set<String> implemented;

    CapturedMount(AbstractFuseFS fileSystem, FuseOperations operations, MountArguments arguments, Pointer userData,
                  MountHandler handler) {
        this.fileSystem = fileSystem;
        this.operations = operations;
        this.arguments = arguments;
        this.userData = userData;
        this.handler = handler;
        // Never dereferenced: a unique non-null address that fuse_exit / poll handles can be traced back by.
        this.fuseHandle = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(8, true);
        Map<String, Boolean> byName = new LinkedHashMap<>();
        JnrFuseInternals.functions(operations).forEach((name, function) ->
                byName.put(name, JnrFuseInternals.functionPointer(operations, function) != 0));
        byName.values().removeIf(set -> !set);
        this.implemented = Collections.unmodifiableSet(byName.keySet());
    }

    static CapturedMount register(CapturedMount mount) {
        BY_HANDLE.put(mount.fuseHandle.address(), mount);
        return mount;
    }

    static void unregister(CapturedMount mount) {
        BY_HANDLE.remove(mount.fuseHandle.address());
    }

    /** The mount whose {@link #fuseHandle()} is at {@code address}, or null. */
    static CapturedMount byHandle(long address) {
        return BY_HANDLE.get(address);
    }

    /** The jnr-fuse file system object whose {@code mount()} led here. */
    public AbstractFuseFS fileSystem() {
        return fileSystem;
    }

    /** The callbacks jnr-fuse registered; unimplemented ones are null pointers, as libfuse would see them. */
    public FuseOperations operations() {
        return operations;
    }

    public MountArguments arguments() {
        return arguments;
    }

    /** {@code fuse_main_real}'s {@code user_data} (jnr-fuse passes null): the initial {@code private_data}. */
    public Pointer userData() {
        return userData;
    }

    public MountHandler handler() {
        return handler;
    }

    /** What {@code fuse_get_context()->fuse} is during this mount's requests. */
    public Pointer fuseHandle() {
        return fuseHandle;
    }

    /**
     * The libfuse 2.9 operation names ({@code getattr}, {@code readdir}, {@code write_buf} …) whose function
     * pointer jnr-fuse set: the methods not marked {@code @NotImplemented}, decided by jnr-fuse itself.
     */
    public Set<String> implemented() {
        return implemented;
    }

    /** The Java callback jnr-fuse stored for one operation (e.g. {@code operations().getattr}), or null. */
    public <T> T callback(BaseStruct.Func<T> function) {
        @SuppressWarnings("unchecked")
        T callback = (T) JnrFuseInternals.callbackOf(function);
        return callback;
    }
}
