package io.arbiterfs.daemon.cli;

import io.arbiterfs.daemon.kernel.FuseConst;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.daemon.transport.SessionOptions;

/** How mount options become session (INIT) options. */
final class Daemon {
    private Daemon() {}

    static SessionOptions sessionOptions(MountOptions o) {
        SessionOptions s = SessionOptions.defaults(o.maxThreads);
        if (o.allowMmap) {
            s = s.withFlags(FuseConst.DIRECT_IO_ALLOW_MMAP);
        }
        return s;
    }
}
