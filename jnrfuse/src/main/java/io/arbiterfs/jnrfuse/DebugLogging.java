package io.arbiterfs.jnrfuse;

import org.slf4j.LoggerFactory;

/**
 * libfuse's {@code -d} (jnr-fuse's {@code mount(..., debug=true, ...)}): libfuse prints every request; here the
 * engine's and the bridge's debug logging is turned on, when logback is the logging backend.
 */
final class DebugLogging {
    private DebugLogging() {}

    static void enable() {
        if (LoggerFactory.getLogger("io.arbiterfs") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        }
    }
}
