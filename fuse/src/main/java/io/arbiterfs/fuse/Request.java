package io.arbiterfs.fuse;

/**
 * Who asked, and whether they still want the answer. One instance per worker thread, refilled for
 * every request.
 */
public final class Request {
    private volatile long unique;
    private int opcode;
    private long nodeId;
    private int uid;
    private int gid;
    private int pid;
    private volatile long interruptedUnique = -1;

    public void set(long unique, int opcode, long nodeId, int uid, int gid, int pid) {
        this.unique = unique;
        this.opcode = opcode;
        this.nodeId = nodeId;
        this.uid = uid;
        this.gid = gid;
        this.pid = pid;
    }

    public long unique() {
        return unique;
    }

    public int opcode() {
        return opcode;
    }

    public long nodeId() {
        return nodeId;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    /** The calling thread's pid; 0 for kernel-initiated requests such as writeback WRITEs. */
    public int pid() {
        return pid;
    }

    /** True once the kernel sent FUSE_INTERRUPT for this request; a blocking handler should give up with -EINTR. */
    public boolean interrupted() {
        return interruptedUnique == unique;
    }

    /**
     * Called by the session when a FUSE_INTERRUPT names request {@code target}. Keyed by the
     * request's unique id so a late interrupt cannot hit the next request this worker runs.
     */
    public boolean interrupt(long target) {
        if (unique != target) {
            return false;
        }
        interruptedUnique = target;
        return unique == target;
    }
}
