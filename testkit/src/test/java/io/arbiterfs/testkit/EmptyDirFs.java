package io.arbiterfs.testkit;

import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.platform.Linux;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The least a mount needs: an empty root directory. */
public final class EmptyDirFs implements FileSystem<Void, Void> {
    @Override
    public int getattr(Request req, long node, Void file, AttributeReply out) {
        out.validFor(Duration.ofSeconds(1)).attributes().ino(node).mode(Linux.S_IFDIR | 0755).nlink(2);
        return 0;
    }

    /** Mounts one on {@code mountpoint} in this JVM. */
    public static FuseMount mount(Path mountpoint) throws IOException {
        return FuseMount.builder(new EmptyDirFs()).mountpoint(mountpoint).fsname("testkit-empty").threads(1).mount();
    }
}
