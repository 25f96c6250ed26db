package io.arbiterfs.jnrfuse;

import jnr.ffi.BaseStruct;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.LibFuse;
import ru.serce.jnrfuse.struct.FuseOperations;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every access to a non-public part of jnr-fuse, in one place. Each is resolved once, when this class loads,
 * and a mismatch throws {@link IncompatibleJnrFuseException} naming what is missing; {@code
 * JnrFuseInternalsTest} checks the same facts (and the bytecode that uses them) against the pinned jar.
 *
 * <ul>
 *   <li>{@code AbstractFuseFS.libFuse} ({@code protected final LibFuse}): the binding its constructor loads with
 *       {@code LibraryLoader.create(LibFuse.class).failImmediately().load("fuse")}; {@code getContext()} and the
 *       {@code init} callback call {@code fuse_get_context()} on it. Replaced for file systems constructed while
 *       real libfuse was loadable.</li>
 *   <li>{@code AbstractFuseFS.fuseOperations} ({@code protected final FuseOperations}): the struct of callbacks.</li>
 *   <li>{@code jnr.ffi.BaseStruct$Func.instance} (private, jnr-fuse's own class in jnr-ffi's package): the Java
 *       callback behind each function pointer of {@code FuseOperations}.</li>
 *   <li>The {@code init} callback is a lambda that captures the {@code AbstractFuseFS} (javac's
 *       {@code lambda$init$N}, set unconditionally in {@code AbstractFuseFS.init(FuseOperations)}): the way from the
 *       {@code FuseOperations} that {@code fuse_main_real} receives back to the file-system object.</li>
 * </ul>
 */
public final class JnrFuseInternals {
    /** The jnr-fuse version these internals are read from; the module's pom pins it. */
    public static final String PINNED_VERSION = "0.5.8";

    private static final Field LIB_FUSE = field(AbstractFuseFS.class, "libFuse", LibFuse.class);
    private static final Field FUSE_OPERATIONS = field(AbstractFuseFS.class, "fuseOperations", FuseOperations.class);
    private static final Field FUNC_INSTANCE = field(BaseStruct.Func.class, "instance", Object.class);

    private JnrFuseInternals() {}

    private static Field field(Class<?> owner, String name, Class<?> type) {
        try {
            Field field = owner.getDeclaredField(name);
            if (field.getType() != type || Modifier.isStatic(field.getModifiers())) {
                throw new IncompatibleJnrFuseException(owner.getName() + "." + name + " is " + field
                        + ", expected an instance field of type " + type.getName(), null);
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            if (e instanceof IncompatibleJnrFuseException incompatible) {
                throw incompatible;
            }
            throw new IncompatibleJnrFuseException("cannot reach " + owner.getName() + "." + name, e);
        }
    }

    /** The {@code LibFuse} binding the file system calls ({@code fuse_get_context}, {@code fuse_buf_copy} …). */
    public static LibFuse libFuseOf(AbstractFuseFS fs) {
        try {
            return (LibFuse) LIB_FUSE.get(fs);
        } catch (IllegalAccessException e) {
            throw new IncompatibleJnrFuseException("cannot read AbstractFuseFS.libFuse", e);
        }
    }

    /**
     * Points the file system's {@code libFuse} field at {@code libFuse}: for a file system constructed while
     * jnr-ffi's own provider was in charge (real libfuse installed), so that its {@code getContext()} stops
     * reading libfuse's thread-local. A final instance field of an ordinary class: reflection may set it.
     */
    public static void replaceLibFuse(AbstractFuseFS fs, LibFuse libFuse) {
        try {
            LIB_FUSE.set(fs, libFuse);
        } catch (IllegalAccessException e) {
            throw new IncompatibleJnrFuseException("cannot set AbstractFuseFS.libFuse", e);
        }
    }

    /** The file system's struct of callbacks, as it passes it to {@code fuse_main_real}. */
    public static FuseOperations operationsOf(AbstractFuseFS fs) {
        try {
            return (FuseOperations) FUSE_OPERATIONS.get(fs);
        } catch (IllegalAccessException e) {
            throw new IncompatibleJnrFuseException("cannot read AbstractFuseFS.fuseOperations", e);
        }
    }

    /** The Java callback behind one function pointer, or null where jnr-fuse left it unset (not implemented). */
    public static Object callbackOf(BaseStruct.Func<?> function) {
        try {
            return FUNC_INSTANCE.get(function);
        } catch (IllegalAccessException e) {
            throw new IncompatibleJnrFuseException("cannot read BaseStruct.Func.instance", e);
        }
    }

    /** The native function pointer jnr-fuse stored for one callback: 0 exactly where it is not implemented. */
    public static long functionPointer(FuseOperations operations, BaseStruct.Func<?> function) {
        return Struct.getMemory(operations).getAddress(function.offset());
    }

    /** {@code FuseOperations}' function members by field name, in struct order (the libfuse 2.9 member names). */
    public static Map<String, BaseStruct.Func<?>> functions(FuseOperations operations) {
        List<Map.Entry<String, BaseStruct.Func<?>>> entries = new ArrayList<>();
        for (Field field : FuseOperations.class.getFields()) {
            if (field.getType() == BaseStruct.Func.class && !Modifier.isStatic(field.getModifiers())) {
                try {
                    entries.add(Map.entry(field.getName(), (BaseStruct.Func<?>) field.get(operations)));
                } catch (IllegalAccessException e) {
                    throw new IncompatibleJnrFuseException("cannot read FuseOperations." + field.getName(), e);
                }
            }
        }
        entries.sort(Comparator.comparingLong(entry -> entry.getValue().offset()));
        Map<String, BaseStruct.Func<?>> byName = new LinkedHashMap<>();
        entries.forEach(entry -> byName.put(entry.getKey(), entry.getValue()));
        return byName;
    }

    /**
     * The {@code AbstractFuseFS} that built {@code operations}: read from what its always-set {@code init}
     * callback captured. Throws if {@code operations} was not built by an {@code AbstractFuseFS} of the pinned
     * jnr-fuse.
     */
    public static AbstractFuseFS fileSystemOf(FuseOperations operations) {
        Object init = callbackOf(operations.init);
        if (init == null) {
            throw new IncompatibleJnrFuseException("FuseOperations.init is unset: AbstractFuseFS always sets it", null);
        }
        AbstractFuseFS found = null;
        for (Field captured : init.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(captured.getModifiers()) || !AbstractFuseFS.class.isAssignableFrom(captured.getType())) {
                continue;
            }
            AbstractFuseFS fs;
            try {
                captured.setAccessible(true);
                fs = (AbstractFuseFS) captured.get(init);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IncompatibleJnrFuseException("cannot read what the init callback "
                        + init.getClass().getName() + " captured", e);
            }
            if (found != null && found != fs) {
                throw new IncompatibleJnrFuseException("the init callback captured two different file systems", null);
            }
            found = fs;
        }
        if (found == null || operationsOf(found) != operations) {
            throw new IncompatibleJnrFuseException("the init callback " + init.getClass().getName()
                    + " does not capture the AbstractFuseFS that owns these FuseOperations", null);
        }
        return found;
    }
}
