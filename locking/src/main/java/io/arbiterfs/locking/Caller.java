package io.arbiterfs.locking;

/**
 * Who asked: the pid from the FUSE request header and, when the daemon knows it, the process name.
 *
 * @param pid         the requesting pid; 0 for kernel-originated requests (writeback)
 * @param processName e.g. from /proc/&lt;pid&gt;/comm; may be {@code null} when unknown
 */
public record Caller(int pid, String processName) {
    /*
     * No static fields here (nor in the other records): Lincheck 2.34's model checker cannot handle static fields of
     * record classes on JDK 17 (Unsafe.staticFieldBase refuses records). Factory methods are fine.
     */

    /** Requests the kernel makes on its own behalf (writeback WRITEs carry pid 0). */
    public static Caller kernel() {
        return new Caller(0, "kernel");
    }

    /** A caller with an unknown process name. */
    public static Caller pid(int pid) {
        return new Caller(pid, null);
    }

    @Override
    public String toString() {
        return processName == null ? "pid " + pid : processName + "[" + pid + "]";
    }
}
