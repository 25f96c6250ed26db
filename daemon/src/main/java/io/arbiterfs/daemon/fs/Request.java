package io.arbiterfs.daemon.fs;

/**
 * Who asked, and whether they still want the answer. One instance per worker thread, refilled for
 * every request.
 */
public final class Request {
    private long unique;
    private int opcode;
    private long nodeId;
    private int uid;
    private int gid;
    private int pid;
    private volatile boolean interrupted;

    public void set(long unique, int opcode, long nodeId, int uid, int gid, int pid) {
        this.unique = unique;
        this.opcode = opcode;
        this.nodeId = nodeId;
        this.uid = uid;
        this.gid = gid;
        this.pid = pid;
        this.interrupted = false;
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
        return interrupted;
    }

    /** Called by the session when a FUSE_INTERRUPT names this request. */
    public void interrupt() {
        interrupted = true;
    }
}
