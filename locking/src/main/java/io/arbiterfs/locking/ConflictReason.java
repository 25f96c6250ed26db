package io.arbiterfs.locking;

/** Why an open was not granted as asked. Each value cites the kernel transition row (contract §2.4) it avoids. */
public enum ConflictReason {
    /** Rows 4 and 16: the inode has a backing file, so every open must be a passthrough open with its id. */
    PASSTHROUGH_ACTIVE,
    /** Row 10: the inode already uses another backing id; the kernel would fail the open with EBUSY. */
    OTHER_BACKING_ID,
    /** Row 11: cached opens or page-cache writeback exist; the kernel would fail a passthrough open with ETXTBSY. */
    CACHED_USERS,
    /** Row 5: the inode became passthrough while this cached opener waited for parallel writes to drain. */
    BECAME_PASSTHROUGH_WHILE_WAITING,
    /** Row 13: a backing id must be &gt; 0. */
    INVALID_BACKING_ID
}
