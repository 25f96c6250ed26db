package io.arbiterfs.fuse;

/** What an OPEN or OPENDIR asks for. */
public interface OpenArgs {
    /** The open(2) flags (O_RDONLY/O_WRONLY/O_RDWR, O_DIRECT, O_APPEND, O_TRUNC, …, see the platform constants). */
    int flags();

    /**
     * An O_TRUNC open by a caller without CAP_FSETID: clear the set-user-id bit (and set-group-id with group
     * execute) as the truncate happens (FUSE_OPEN_KILL_SUIDGID; sent with {@link Feature#HANDLE_KILLPRIV_V2}).
     */
    boolean killSuidGid();
}
