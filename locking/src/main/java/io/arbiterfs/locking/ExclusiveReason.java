package io.arbiterfs.locking;

/**
 * Why a write-side operation holds the inode's lock exclusively. The first five are decided by
 * {@link WriteLockDecision} for direct WRITEs; the last three are operations the daemon always runs exclusively
 * through {@link IoModeTable#beginExclusive}.
 */
public enum ExclusiveReason {
    /** §3.2 (1): the open was not answered with PARALLEL_DIRECT_WRITES. */
    NOT_PARALLEL,
    /** §3.2 (2): O_APPEND; the end of file must be known. */
    APPEND,
    /** §3.2 (4), judged by the server's own size (asked once the shared side is held): the write ends past EOF. */
    EXTENDING,
    /** §3.2 (3) / row 18: the inode is CACHED (cached opens or page-cache writeback); no shared writes beside it. */
    CACHED_MODE,
    /** §3.2 (3) / fix 2f3d8ff45798: a cached opener waits for in-flight writes; new writers must not join them. */
    DRAINING,
    /** SETATTR(size). */
    TRUNCATE,
    /** FALLOCATE. */
    FALLOCATE,
    /** The destination of COPY_FILE_RANGE(_64). */
    COPY_FILE_RANGE_DST;

    /** True for the reasons a direct WRITE may get; false for whole operations (truncate, fallocate, copy). */
    public boolean isWriteDecision() {
        return ordinal() <= DRAINING.ordinal();
    }
}
