package io.arbiterfs.fuse;

/**
 * The attributes of a node in a reply, as stat(2) reports them. Setters return this object so calls chain;
 * the getters read back what was set (decorators may inspect an inner file system's answer).
 */
public interface Attributes {
    /** The inode number the kernel shows in st_ino (not the node id; any stable number). */
    Attributes ino(long ino);

    long ino();

    Attributes size(long bytes);

    long size();

    /** Allocated 512-byte blocks (st_blocks). */
    Attributes blocks(long blocks);

    long blocks();

    /** Last access time: seconds and nanoseconds since the epoch. */
    Attributes atime(long seconds, int nanos);

    /** Last modification time. */
    Attributes mtime(long seconds, int nanos);

    /** Last status change time. */
    Attributes ctime(long seconds, int nanos);

    long atimeSeconds();

    long mtimeSeconds();

    long ctimeSeconds();

    /** File type and permission bits, as st_mode (S_IFREG | 0644, …). */
    Attributes mode(int mode);

    int mode();

    Attributes nlink(int links);

    int nlink();

    Attributes uid(int uid);

    int uid();

    Attributes gid(int gid);

    int gid();

    /** Device number of a device node (st_rdev, the kernel's new_encode_dev format). */
    Attributes rdev(int rdev);

    int rdev();

    /** Preferred IO size (st_blksize); 0 lets the kernel choose. */
    Attributes blksize(int blksize);

    int blksize();
}
