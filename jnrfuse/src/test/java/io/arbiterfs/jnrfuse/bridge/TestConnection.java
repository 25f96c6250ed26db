package io.arbiterfs.jnrfuse.bridge;

import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.Feature;
import java.util.Set;

/** A connection as INIT would settle it, for file systems driven without a mount. */
record TestConnection(int minor, Set<Feature> granted, int maxWrite, int requestThreads) implements Connection {
    static TestConnection of(Feature... granted) {
        return new TestConnection(45, Set.of(granted), 128 * 1024, 4);
    }

    @Override
    public boolean has(Feature feature) {
        return granted.contains(feature);
    }

    @Override
    public io.arbiterfs.fuse.TransportStatus transport() {
        return new io.arbiterfs.fuse.TransportStatus("/dev/fuse", 0, 0, 0, java.util.List.of(), requestThreads, null);
    }

    @Override
    public void invalidateData(long node, long offset, long length) {}

    @Override
    public boolean invalidateDataNow(long node, long offset, long length) {
        return true;
    }

    @Override
    public void invalidateAttributes(long node) {}

    @Override
    public int openBacking(int fd) {
        return -38;
    }

    @Override
    public int closeBacking(int backingId) {
        return 0;
    }
}
