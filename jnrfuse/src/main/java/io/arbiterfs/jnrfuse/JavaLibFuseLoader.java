package io.arbiterfs.jnrfuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;

/** The loader {@link ArbiterFfiProvider} gives for jnr-fuse's {@code LibFuse}: it loads nothing native. */
final class JavaLibFuseLoader<T> extends LibraryLoader<T> {
    private static final Logger log = LoggerFactory.getLogger(JavaLibFuseLoader.class);

    JavaLibFuseLoader(Class<T> interfaceClass) {
        super(interfaceClass);
    }

    @Override
    protected T loadLibrary(Class<T> interfaceClass, Collection<String> libraryNames, Collection<String> searchPaths,
                            Map<LibraryOption, Object> options, boolean failImmediately) {
        log.debug("jnr-fuse asked for libfuse {}; answering with {}", libraryNames, JavaLibFuse.class.getName());
        return interfaceClass.cast(JavaLibFuse.instance());
    }
}
