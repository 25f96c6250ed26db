package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.internal.dispatch.WireDriver;

/**
 * Drives a {@link PassthroughFs} the way the kernel would, without a mount: wire-format requests through the real
 * dispatch table (see {@link WireDriver}); handles are the engine's fh numbers.
 */
class FsDriver extends WireDriver {
    final PassthroughFs fs;

    FsDriver(PassthroughFs fs) {
        super(fs);
        this.fs = fs;
    }
}
