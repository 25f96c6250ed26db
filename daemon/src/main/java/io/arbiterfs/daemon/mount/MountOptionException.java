package io.arbiterfs.daemon.mount;

/** A bad {@code -o} option: the message names it and says what was expected. */
public final class MountOptionException extends Exception {
    public MountOptionException(String message) {
        super(message);
    }
}
