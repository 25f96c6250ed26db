package io.arbiterfs.fuse;

/** The answer to STATFS, as statvfs(2) reports it. Setters chain. */
public interface FsStats {
    /** Total blocks of {@link #fragmentSize} bytes. */
    FsStats blocks(long blocks);

    FsStats freeBlocks(long blocks);

    /** Free blocks available to unprivileged users. */
    FsStats availableBlocks(long blocks);

    FsStats files(long inodes);

    FsStats freeFiles(long inodes);

    /** Preferred block size. */
    FsStats blockSize(int bytes);

    /** Longest file name. */
    FsStats maxNameLength(int bytes);

    /** The unit of the block counts. */
    FsStats fragmentSize(int bytes);
}
