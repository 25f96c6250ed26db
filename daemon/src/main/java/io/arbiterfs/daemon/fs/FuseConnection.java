package io.arbiterfs.daemon.fs;

/** What INIT settled, as a file system needs to know it. */
public interface FuseConnection {
    /** The protocol minor version both sides speak (≤ 45). */
    int minor();

    /** The INIT flags granted to the kernel, as one 64-bit word (flags | flags2 << 32). */
    long flags();

    /** Largest WRITE payload the kernel will send. */
    int maxWrite();

    /** Whether a flag (a {@code FuseConst} 64-bit value) was granted. */
    default boolean has(long flag) {
        return (flags() & flag) != 0;
    }
}
