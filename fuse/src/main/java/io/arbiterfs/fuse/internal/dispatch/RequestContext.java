package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.Request;

/**
 * The {@link Request} of one exchange, refilled for every request it carries. The interrupt mark is keyed by the
 * request's unique id, so a late FUSE_INTERRUPT cannot hit the next request the same thread runs.
 */
public final class RequestContext implements Request {
    private volatile long unique;
    private long nodeId;
    private int uid;
    private int gid;
    private int pid;
    private volatile long interruptedUnique = -1;

    void set(long unique, long nodeId, int uid, int gid, int pid) {
        this.unique = unique;
        this.nodeId = nodeId;
        this.uid = uid;
        this.gid = gid;
        this.pid = pid;
    }

    @Override
    public long unique() {
        return unique;
    }

    @Override
    public long nodeId() {
        return nodeId;
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public int gid() {
        return gid;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public boolean interrupted() {
        return interruptedUnique == unique;
    }

    /**
     * Marks request {@code target} interrupted if this context is carrying it now.
     *
     * @return whether it was
     */
    public boolean interrupt(long target) {
        if (unique != target) {
            return false;
        }
        interruptedUnique = target;
        return unique == target;
    }
}
