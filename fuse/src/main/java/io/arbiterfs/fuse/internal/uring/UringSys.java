package io.arbiterfs.fuse.internal.uring;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;

/**
 * The system calls of the io_uring transport, bound only with signatures jnr-ffi 2.2.19 passes correctly: its x86
 * stub generator garbles the sixth argument of a call whose six parameters are all primitives, so every such call
 * here has a {@link Pointer} among its parameters or seven parameters. libc's {@code syscall()} takes every argument
 * as a 64-bit value.
 */
public interface UringSys {
    long SYS_IO_URING_SETUP = 425;
    long SYS_IO_URING_ENTER = 426;
    long SYS_IO_URING_REGISTER = 427;

    static UringSys get() {
        return Holder.SYS;
    }

    /** io_uring_setup(entries, params). */
    long syscall(long number, long entries, Pointer params);

    /**
     * io_uring_enter(fd, to_submit, min_complete, flags, sig = null). Six parameters, the last a Pointer, so jnr-ffi
     * takes its fast path (seven parameters would go through its slow, boxing one on every request). The kernel's sixth
     * argument, sigsz, is then whatever syscall() finds on the stack: it is read only with a non-null sig or with
     * IORING_ENTER_EXT_ARG, and we pass neither (io_get_ext_arg() and io_cqring_wait() in io_uring/io_uring.c).
     */
    long syscall(long number, long fd, long toSubmit, long minComplete, long flags, Pointer sig);

    /** io_uring_register(fd, opcode, arg, nr_args). */
    long syscall(long number, long fd, long opcode, Pointer arg, long nrArgs);

    /** Takes the hint address as a Pointer (pass null): with six primitives the offset would arrive garbled. */
    Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, @size_t long length);

    int madvise(Pointer addr, @size_t long length, int advice);

    int close(int fd);

    int sched_setaffinity(int pid, @size_t long cpusetsize, Pointer mask);

    @IgnoreError
    int sched_getcpu();

    /** Lazy holder of the binding. */
    final class Holder {
        static final UringSys SYS = LibraryLoader.create(UringSys.class).load("c");

        private Holder() {}
    }
}
