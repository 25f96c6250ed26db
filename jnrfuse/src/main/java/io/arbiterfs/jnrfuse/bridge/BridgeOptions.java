package io.arbiterfs.jnrfuse.bridge;

import java.time.Duration;

/**
 * The libfuse 2 high-level options ({@code lib/fuse.c}, {@code fuse_lib_opts}) the bridge honours.
 *
 * @param hardRemove      {@code hard_remove}: unlink open files at once instead of hiding them (their later IO fails
 *                        with ENOENT, as on libfuse 2)
 * @param useIno          {@code use_ino}: report the file system's {@code st_ino} instead of the node id
 * @param readdirIno      {@code readdir_ino}: without {@code use_ino}, give listed names the node id the kernel knows
 * @param keepCache       {@code kernel_cache} / {@code auto_cache}: keep cached pages across opens
 * @param umask           {@code umask=M}: report permission bits {@code 0777 & ~M} (with the file type), or -1
 * @param uid             {@code uid=N}: report this owner, or -1
 * @param gid             {@code gid=N}: report this group, or -1
 * @param entryTimeout    how long the kernel may cache a name ({@code entry_timeout})
 * @param attrTimeout     how long it may cache attributes ({@code attr_timeout})
 * @param negativeTimeout how long it may cache a name's absence ({@code negative_timeout}; 0: not at all)
 * @param forget          false for {@code noforget}: nodes are kept until unmount
 * @param atomicOTrunc    {@code atomic_o_trunc}: O_TRUNC reaches {@code open} (the file system truncates)
 */
public record BridgeOptions(boolean hardRemove, boolean useIno, boolean readdirIno, boolean keepCache, int umask,
                            long uid, long gid, Duration entryTimeout, Duration attrTimeout, Duration negativeTimeout,
                            boolean forget, boolean atomicOTrunc) {
    /** libfuse 2's defaults: hide open files on unlink, node ids as inode numbers, 1 s caching, no negative caching. */
    public static BridgeOptions defaults() {
        return new BridgeOptions(false, false, false, false, -1, -1, -1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO, true, false);
    }
}
