package io.arbiterfs.jnrfuse.mounted;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/** The libc calls the mounted tests make themselves: O_DIRECT opens and MAP_SHARED mappings with their errnos. */
public interface LibC {
    int O_RDWR = 2, O_DIRECT = 040000, PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MS_SYNC = 4, ENODEV = 19;

    @SaveError
    int open(String path, int flags, int mode);

    @SaveError
    int close(int fd);

    /** Returns the address, or -1 (MAP_FAILED); the first argument is a pointer (jnr-ffi 2.2.19 and six primitives). */
    @SaveError
    long mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    @SaveError
    int munmap(long addr, long length);

    @SaveError
    int msync(long addr, long length, int flags);

    /** The binding and its errno: static members of the interface itself would be taken for native functions. */
    final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");

        private Holder() {}

        static int errno() {
            return jnr.ffi.Runtime.getRuntime(LIBC).getLastError();
        }
    }
}
