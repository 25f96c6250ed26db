package io.arbiterfs.jnrfuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.provider.FFIProvider;
import ru.serce.jnrfuse.LibFuse;

/**
 * A jnr-ffi provider that is jnr-ffi's own ({@code jnr.ffi.provider.jffi.Provider}) for every library except
 * jnr-fuse's {@code LibFuse}, which it answers with {@link JavaLibFuse}. jnr-ffi picks its one system provider
 * from the system property {@value #PROVIDER_PROPERTY} the first time anything asks for it
 * ({@code FFIProvider.getSystemProvider()}, a lazily initialised holder), so the property must be set before
 * any jnr-ffi use in the JVM: on the command line, by {@link JnrFuseAgent}, or by {@link #install()} as the
 * program's first statement.
 */
public final class ArbiterFfiProvider extends FFIProvider {
    public static final String PROVIDER_PROPERTY = "jnr.ffi.provider";

    private final FFIProvider delegate = new jnr.ffi.provider.jffi.Provider();

    /** jnr-ffi's switch for its x86 stub generator, read once when it first binds a library. */
    static final String X86ASM_PROPERTY = "jnr.ffi.x86asm.enabled";

    /**
     * Instantiated by jnr-ffi through {@code Class.forName(name).newInstance()}, before it binds any library. Turns
     * jnr-ffi's x86 stub generator off unless the JVM was told otherwise: jnr-ffi 2.2.19's stubs garble the sixth
     * argument of all-primitive six-argument calls, which the engine's io_uring transport makes (the launcher and
     * the tests set the same property).
     */
    public ArbiterFfiProvider() {
        if (System.getProperty(X86ASM_PROPERTY) == null) {
            System.setProperty(X86ASM_PROPERTY, "false");
        }
    }

    @Override
    public Runtime getRuntime() {
        return delegate.getRuntime();
    }

    @Override
    public <T> LibraryLoader<T> createLibraryLoader(Class<T> interfaceClass) {
        if (interfaceClass == LibFuse.class) {
            return new JavaLibFuseLoader<>(interfaceClass);
        }
        if (interfaceClass.getName().equals(LibFuse.class.getName())) {
            // A second copy of jnr-fuse in another class loader would bind real libfuse behind our back.
            throw new UnsatisfiedLinkError(interfaceClass.getName() + " from " + interfaceClass.getClassLoader()
                    + " is not the jnr-fuse arbiterfs-jnrfuse was loaded with (" + LibFuse.class.getClassLoader() + ")");
        }
        return delegate.createLibraryLoader(interfaceClass);
    }

    /**
     * Asks jnr-ffi to use this provider, if no provider was named yet. Does not touch jnr-ffi itself.
     *
     * @return false if {@value #PROVIDER_PROPERTY} already names another provider (left as it is)
     */
    public static boolean select() {
        String current = System.getProperty(PROVIDER_PROPERTY);
        if (current == null) {
            System.setProperty(PROVIDER_PROPERTY, ArbiterFfiProvider.class.getName());
            return true;
        }
        return current.equals(ArbiterFfiProvider.class.getName());
    }

    /** True when jnr-ffi's system provider is this one, i.e. jnr-fuse file systems get {@link JavaLibFuse}. */
    public static boolean isActive() {
        return FFIProvider.getSystemProvider() instanceof ArbiterFfiProvider;
    }

    /**
     * Selects this provider and checks that jnr-ffi took it.
     *
     * @throws IllegalStateException if jnr-ffi had already chosen another provider (something used jnr-ffi
     *                               before this call) or the property names another provider
     */
    public static void install() {
        boolean selected = select();
        if (!isActive()) {
            throw new IllegalStateException("jnr-ffi's provider is " + FFIProvider.getSystemProvider().getClass().getName()
                    + (selected ? ", chosen before arbiterfs could install its own" : ", named by -D" + PROVIDER_PROPERTY)
                    + ": start the JVM with -D" + PROVIDER_PROPERTY + "=" + ArbiterFfiProvider.class.getName()
                    + " or -javaagent:<arbiterfs-jnrfuse jar>");
        }
    }
}
