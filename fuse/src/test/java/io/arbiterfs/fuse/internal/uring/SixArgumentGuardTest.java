package io.arbiterfs.fuse.internal.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.platform.NativeString;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnr-ffi 2.2.19's x86 stub generator passes garbage as the sixth argument of a call whose six parameters are all
 * primitives. The engine binds around it (a Pointer parameter, or seven arguments) and every JVM it starts runs with
 * {@code -Djnr.ffi.x86asm.enabled=false} (the launcher, the tests). This makes an all-primitive six-argument call
 * whose sixth argument shows, renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE) through syscall(2): with the flag
 * intact it fails with EEXIST; garbled it is EINVAL or renames. It fails if the protection goes away.
 */
class SixArgumentGuardTest {
    private static final long SYS_RENAMEAT2 = 316;
    private static final long AT_FDCWD = -100;
    private static final long RENAME_NOREPLACE = 1;

    /** The dangerous shape, on purpose. */
    public interface SixLongs {
        long syscall(long number, long a, long b, long c, long d, long e);
    }

    @Test
    void theSixthArgumentOfAnAllPrimitiveCallArrivesIntact(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "a");
        Files.writeString(dir.resolve("b"), "b");
        SixLongs libc = LibraryLoader.create(SixLongs.class).load("c");
        NativeString a = NativeString.of(dir.resolve("a").toString());
        NativeString b = NativeString.of(dir.resolve("b").toString());
        long rc = libc.syscall(SYS_RENAMEAT2, AT_FDCWD, a.address(), AT_FDCWD, b.address(), RENAME_NOREPLACE);
        int errno = Native.errno();
        java.lang.ref.Reference.reachabilityFence(a);
        java.lang.ref.Reference.reachabilityFence(b);
        assertEquals(-1, rc, "renameat2 with RENAME_NOREPLACE onto an existing file must fail");
        assertEquals(Errno.EEXIST, errno, "EEXIST, not EINVAL: the flags word arrived intact (jnr.ffi.x86asm.enabled="
                + System.getProperty("jnr.ffi.x86asm.enabled") + ")");
        assertEquals("a", Files.readString(dir.resolve("a")));
        assertEquals("b", Files.readString(dir.resolve("b")));
    }
}
