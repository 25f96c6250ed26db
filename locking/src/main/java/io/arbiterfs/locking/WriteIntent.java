package io.arbiterfs.locking;

/**
 * One direct (FOPEN_DIRECT_IO) WRITE as the daemon received it, the input of the write-lock decision (contract §3.2).
 *
 * @param parallelAllowed the open was answered with FOPEN_DIRECT_IO | FOPEN_PARALLEL_DIRECT_WRITES
 * @param append          the file was opened O_APPEND (the final EOF must be known, so the write is exclusive)
 * @param offset          write offset in bytes
 * @param length          write length in bytes
 */
public record WriteIntent(boolean parallelAllowed, boolean append, long offset, long length) {
    public WriteIntent {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset/length: " + offset + "/" + length);
        }
    }

    /** A non-append write on an open that allows parallel direct writes. */
    public static WriteIntent parallel(long offset, long length) {
        return new WriteIntent(true, false, offset, length);
    }

    /** True if the write ends past {@code size} (overflow-safe). */
    public boolean extendsPast(long size) {
        return offset > size || length > size - offset;
    }
}
