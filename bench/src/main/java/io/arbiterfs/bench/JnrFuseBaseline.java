package io.arbiterfs.bench;

import static org.awaitility.Awaitility.await;

import io.arbiterfs.testkit.mount.Mountpoints;
import io.arbiterfs.testkit.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.awaitility.core.ConditionTimeoutException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The peer baseline of {@code ./arbiterfs bench}: a minimal passthrough file system on jnr-fuse
 * 0.5.8 (libfuse 2's high-level, path-based API), written the way a careful jnr-fuse user would:
 * READ/WRITE go straight between libfuse's buffer and pread/pwrite on the backing descriptor (no
 * Java copy), opens keep the backing fd in {@code fi.fh}. Direct IO can only be asked for with the
 * {@code -o direct_io} mount option (jnr-fuse maps {@code fuse_file_info.direct_io} as padding), and
 * {@code big_writes} lifts libfuse 2's 4 KiB write limit. libfuse 2 knows nothing of
 * FOPEN_PARALLEL_DIRECT_WRITES or DIRECT_IO_ALLOW_MMAP, so writes to one file are serialized by the
 * kernel and MAP_SHARED on its files fails with ENODEV.
 *
 * <p>Runs in its own JVM: {@code JnrFuseBaseline SOURCE MOUNTPOINT [OPTIONS]} (OPTIONS added to the {@code -o} list),
 * with the testkit's handshake: prints its readiness line once the mount answers ({@link ChildProcess#announceReady}),
 * unmounts and exits 0 on SIGTERM. The same class, unmodified, is the bench's jnr-fuse-bridge target when its JVM runs
 * with the arbiterfs-jnrfuse agent: then {@code mount()} reaches the arbiterfs engine instead of libfuse.
 */
public final class JnrFuseBaseline extends FuseStubFS {
    /** The mount options: what jnr-fuse lets a passthrough ask for. */
    static final String[] FUSE_OPTIONS = {"-o", "direct_io,big_writes,max_write=131072,max_read=131072,fsname=jnr-fuse-baseline"};

    public interface LibC {
        int open(String path, int flags, int mode);

        int close(int fd);

        @ssize_t long pread(int fd, Pointer buf, @size_t long count, @off_t long offset);

        @ssize_t long pwrite(int fd, Pointer buf, @size_t long count, @off_t long offset);

        int fsync(int fd);

        int fdatasync(int fd);

        int ftruncate(int fd, @off_t long length);

        int truncate(String path, @off_t long length);
    }

    private static final int O_CREAT = 0100;

    private final String source;
    private final LibC libc = LibraryLoader.create(LibC.class).load("c");
    private final jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
    private final POSIX posix = POSIXFactory.getNativePOSIX();

    JnrFuseBaseline(String source) {
        this.source = source;
    }

    private String real(String path) {
        return source + path;
    }

    private int errno() {
        return -runtime.getLastError();
    }

    @Override
    public int getattr(String path, FileStat stat) {
        jnr.posix.FileStat s = posix.allocateStat();
        if (posix.lstat(real(path), s) < 0) {
            return -posix.errno();
        }
        stat.st_mode.set(s.mode());
        stat.st_nlink.set(s.nlink());
        stat.st_uid.set(s.uid());
        stat.st_gid.set(s.gid());
        stat.st_size.set(s.st_size());
        stat.st_blksize.set(s.blockSize());
        stat.st_blocks.set(s.blocks());
        stat.st_ino.set(s.ino());
        stat.st_atim.tv_sec.set(s.atime());
        stat.st_mtim.tv_sec.set(s.mtime());
        stat.st_ctim.tv_sec.set(s.ctime());
        return 0;
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return getattr(path, stat);
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        filler.apply(buf, ".", null, 0);
        filler.apply(buf, "..", null, 0);
        String[] names = new java.io.File(real(path)).list();
        if (names == null) {
            return -ErrorCodes.ENOENT();
        }
        for (String n : names) {
            filler.apply(buf, n, null, 0);
        }
        return 0;
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        // the kernel already applied O_TRUNC/O_CREAT semantics; O_DIRECT is not passed on (like arbiterfs)
        int flags = fi.flags.get() & ~(O_CREAT | 040000 | 01000);
        int fd = libc.open(real(path), flags, 0);
        if (fd < 0) {
            return errno();
        }
        fi.fh.set(fd);
        return 0;
    }

    @Override
    public int create(String path, @jnr.ffi.types.mode_t long mode, FuseFileInfo fi) {
        int fd = libc.open(real(path), (fi.flags.get() | O_CREAT) & ~040000, (int) mode);
        if (fd < 0) {
            return errno();
        }
        fi.fh.set(fd);
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        long n = libc.pread((int) fi.fh.get(), buf, size, offset);
        return n < 0 ? errno() : (int) n;
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        long n = libc.pwrite((int) fi.fh.get(), buf, size, offset);
        return n < 0 ? errno() : (int) n;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        libc.close((int) fi.fh.get());
        return 0;
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        int fd = (int) fi.fh.get();
        return (isdatasync != 0 ? libc.fdatasync(fd) : libc.fsync(fd)) < 0 ? errno() : 0;
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return libc.truncate(real(path), size) < 0 ? errno() : 0;
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return libc.ftruncate((int) fi.fh.get(), size) < 0 ? errno() : 0;
    }

    @Override
    public int unlink(String path) {
        return posix.unlink(real(path)) < 0 ? -posix.errno() : 0;
    }

    @Override
    public int mkdir(String path, @jnr.ffi.types.mode_t long mode) {
        return posix.mkdir(real(path), (int) mode) < 0 ? -posix.errno() : 0;
    }

    @Override
    public int rmdir(String path) {
        return posix.rmdir(real(path)) < 0 ? -posix.errno() : 0;
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return posix.rename(real(oldpath), real(newpath)) < 0 ? -posix.errno() : 0;
    }

    @Override
    public int chmod(String path, @jnr.ffi.types.mode_t long mode) {
        return posix.chmod(real(path), (int) mode) < 0 ? -posix.errno() : 0;
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return 0;
    }

    @Override
    public int access(String path, int mask) {
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        stbuf.f_bsize.set(4096);
        stbuf.f_frsize.set(4096);
        stbuf.f_blocks.set(1L << 28);
        stbuf.f_bfree.set(1L << 27);
        stbuf.f_bavail.set(1L << 27);
        stbuf.f_namemax.set(255);
        return 0;
    }

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]).toRealPath();
        Path mountpoint = Path.of(args[1]).toAbsolutePath().normalize();
        JnrFuseBaseline fs = new JnrFuseBaseline(source.toString());
        String[] options = args.length > 2 ? new String[] {"-o", FUSE_OPTIONS[1] + "," + args[2]} : FUSE_OPTIONS;
        String engine = System.getProperty("jnr.ffi.provider", "").startsWith("io.arbiterfs.")
                ? "the arbiterfs engine (jnr-fuse bridge)" : "libfuse 2";
        try {
            fs.mount(mountpoint, false, false, options);
        } catch (RuntimeException e) {
            System.err.println("jnr-fuse baseline: mount failed: " + e);
            System.exit(1);
        }
        try {
            // libfuse mounts from its own thread; a statfs returns once the kernel has the INIT reply
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Mountpoints.isMounted(mountpoint) && Target.initAnswered(mountpoint));
        } catch (ConditionTimeoutException e) {
            System.err.println("jnr-fuse baseline: " + mountpoint + " did not answer within 30 s");
            fs.umount();
            System.exit(1);
        }
        ChildProcess.unmountOnSigterm(fs::umount);
        System.err.println("jnr-fuse baseline: jnr-fuse 0.5.8 on " + engine + " " + String.join(" ", options) + " on " + mountpoint);
        ChildProcess.announceReady(mountpoint);
        new CountDownLatch(1).await(); // serve until SIGTERM
    }
}
