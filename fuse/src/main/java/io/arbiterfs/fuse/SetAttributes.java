package io.arbiterfs.fuse;

/**
 * What a SETATTR asks to change. Each value counts only when its {@code sets…} method says so; several may come
 * in one request (a chown with a mode change, a truncate with times).
 */
public interface SetAttributes {
    boolean setsMode();

    /** The new permission bits (the file type bits are not to be changed). */
    int mode();

    boolean setsUid();

    int uid();

    boolean setsGid();

    int gid();

    /** A truncate (or extension) to {@link #size()}. */
    boolean setsSize();

    long size();

    /** A new access time: {@link #atimeNow()} for "now", otherwise {@link #atimeSeconds()}/{@link #atimeNanos()}. */
    boolean setsAtime();

    boolean atimeNow();

    long atimeSeconds();

    int atimeNanos();

    boolean setsMtime();

    boolean mtimeNow();

    long mtimeSeconds();

    int mtimeNanos();

    boolean setsCtime();

    long ctimeSeconds();

    int ctimeNanos();

    /**
     * The caller lacks CAP_FSETID and the change must also clear the set-user-id bit (and set-group-id with group
     * execute), as a write by such a caller would (FATTR_KILL_SUIDGID; sent with {@link Feature#HANDLE_KILLPRIV_V2}).
     */
    boolean killSuidGid();
}
