package io.arbiterfs.jnrfuse;

/** jnr-fuse on the class path is not built the way this module relies on (see {@code jnrfuse/DESIGN.md}). */
public final class IncompatibleJnrFuseException extends RuntimeException {
    IncompatibleJnrFuseException(String message, Throwable cause) {
        super(message + " (arbiterfs-jnrfuse is built against jnr-fuse " + JnrFuseInternals.PINNED_VERSION
                + "; see jnrfuse/DESIGN.md, \"Internals relied on\")", cause);
    }
}
