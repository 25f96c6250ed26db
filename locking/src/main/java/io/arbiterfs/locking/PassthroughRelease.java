package io.arbiterfs.locking;

/**
 * Result of {@link IoModeTable#passthroughRelease}.
 *
 * @param wasOpen           false if the inode had no passthrough open to release (a daemon bookkeeping bug; nothing
 *                          changed)
 * @param closeBackingId    true if this was the inode's last passthrough user: the daemon should now
 *                          FUSE_DEV_IOC_BACKING_CLOSE {@link #backingId()} (contract §3.10.6: keep the id until the
 *                          inode's last release, never close it while an OPEN reply may still use it)
 * @param backingId         the inode's backing id before this release
 * @param passthroughOpens  passthrough opens left on the inode
 */
public record PassthroughRelease(boolean wasOpen, boolean closeBackingId, int backingId, int passthroughOpens) {
    static PassthroughRelease notOpen() {
        return new PassthroughRelease(false, false, 0, 0);
    }
}
