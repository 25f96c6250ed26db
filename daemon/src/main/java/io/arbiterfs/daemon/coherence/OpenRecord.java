package io.arbiterfs.daemon.coherence;

/**
 * How one open file handle was answered, so its release undoes exactly what its open counted.
 *
 * @param node      the inode
 * @param kind      how the open is counted in the IO-mode table
 * @param parallel  the reply carried FOPEN_PARALLEL_DIRECT_WRITES
 * @param direct    the reply carried FOPEN_DIRECT_IO (the kernel sends every read and write to us)
 * @param backingId the passthrough backing id, 0 if none
 */
record OpenRecord(long node, Kind kind, boolean parallel, boolean direct, int backingId) {
    enum Kind { CACHED, DIRECT, PASSTHROUGH }
}
