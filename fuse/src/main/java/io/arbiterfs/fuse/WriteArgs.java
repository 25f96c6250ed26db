package io.arbiterfs.fuse;

/** What a WRITE asks for; the data comes as a {@link DataView}. */
public interface WriteArgs {
    long offset();

    /** Number of bytes to write (the data's size). */
    int size();

    /**
     * A write of the kernel's page cache (FUSE_WRITE_CACHE): dirty pages of a shared mapping or of the writeback
     * cache being written back. Such writes carry pid 0 and may name any writable open of the node.
     */
    boolean isWriteback();

    /**
     * The writer lacks CAP_FSETID: clear the set-user-id bit (and set-group-id with group execute) as the write
     * happens (FUSE_WRITE_KILL_SUIDGID; sent with {@link Feature#HANDLE_KILLPRIV_V2}).
     */
    boolean killSuidGid();

    /** The open(2) flags of the open file (O_APPEND, O_DIRECT, …). */
    int openFlags();

    /** The POSIX lock owner of the writer, 0 if the kernel did not send one. */
    long lockOwner();
}
