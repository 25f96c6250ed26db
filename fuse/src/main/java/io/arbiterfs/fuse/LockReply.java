package io.arbiterfs.fuse;

/** The answer to GETLK: the lock that conflicts, or type F_UNLCK if none does. */
public interface LockReply {
    LockReply set(long start, long end, int type, int pid);
}
