package io.arbiterfs.daemon.coherence;

import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.StatBuffer;
import java.util.function.LongSupplier;

/**
 * The backing file's size as the server sees it, for the "extending write" decision: the kernel
 * judges by its cached i_size, which another writer of the source may have made stale. One per
 * worker thread, reused for every WRITE.
 */
final class SizeProbe implements LongSupplier {
    private static final LibC libc = LibC.get();
    // the NativeString itself must stay reachable: its buffer is freed with it
    private static final io.arbiterfs.fuse.platform.NativeString EMPTY_PATH = io.arbiterfs.fuse.platform.NativeString.of("");
    private final StatBuffer st = new StatBuffer();
    private int fd = -1;

    SizeProbe of(int fd) {
        this.fd = fd;
        return this;
    }

    @Override
    public long getAsLong() {
        if (fd < 0 || libc.fstatat(fd, EMPTY_PATH.address(), st.address(), Linux.AT_EMPTY_PATH) != 0) {
            return 0; // unknown: treat every write as extending, which is always safe
        }
        return st.size();
    }
}
