package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.Request;

/**
 * The system calls behind READ, WRITE and FSYNC on an open file's backing fd. {@link PassthroughFs}
 * calls them through this seam, below every layer that extends it (the coherence layer's IO modes
 * and write locks), so a test aid can make the backend fail without bypassing that bookkeeping.
 * Results follow the FUSE convention: a count, or {@code -errno}.
 */
public interface BackingIo {
    /** Reads up to {@code length} bytes at {@code offset}; stops early only at EOF. */
    long pread(Request req, int fd, long address, int length, long offset);

    /** Writes {@code length} bytes at {@code offset}; a short count only if an error stopped it. */
    long pwrite(Request req, int fd, long address, int length, long offset);

    /** fsync(2), or fdatasync(2) when {@code dataOnly}. */
    int fsync(Request req, int fd, boolean dataOnly);

    /** The real system calls. */
    BackingIo SYSCALLS = new BackingIo() {
        @Override
        public long pread(Request req, int fd, long address, int length, long offset) {
            return FileIo.pread(fd, address, length, offset);
        }

        @Override
        public long pwrite(Request req, int fd, long address, int length, long offset) {
            return FileIo.pwrite(fd, address, length, offset);
        }

        @Override
        public int fsync(Request req, int fd, boolean dataOnly) {
            return FileIo.sync(fd, dataOnly);
        }
    };
}
