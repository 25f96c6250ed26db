package io.arbiterfs.daemon.passthrough;

/**
 * An OPEN or CREATE: the backing fd (our own open file description, so flock(2) conflicts between
 * two FUSE opens map onto the host), the flags the user asked for, and the inode.
 */
public record OpenFile(int fd, int userFlags, Inode inode) {}
