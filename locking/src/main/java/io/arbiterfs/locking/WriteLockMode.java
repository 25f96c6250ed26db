package io.arbiterfs.locking;

/** How a write-side operation holds its inode: alongside other parallel writes, or alone. */
public enum WriteLockMode { SHARED, EXCLUSIVE }
