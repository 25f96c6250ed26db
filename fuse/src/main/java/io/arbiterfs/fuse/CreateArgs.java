package io.arbiterfs.fuse;

/** What a CREATE or TMPFILE asks for: an open, and the new file's mode. */
public interface CreateArgs extends OpenArgs {
    /** The new file's type and permission bits; the kernel applied the umask unless {@link Feature#POSIX_ACL} was granted. */
    int mode();

    /** The caller's umask. */
    int umask();
}
