package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.platform.Errno;

/**
 * The session side of an {@link OpTable} driven directly by a test: INIT answers with an empty
 * reply, no request is ever running (so INTERRUPT asks the kernel to retry), DESTROY does nothing.
 */
public final class NoSession implements OpTable.Control {
    @Override
    public int init(Exchange x, InitIn in, int bodyLength) {
        return 0;
    }

    @Override
    public int interrupt(long unique) {
        return -Errno.EAGAIN;
    }

    @Override
    public void destroy() {}
}
