package io.arbiterfs.jnrfuse.bridge;

import io.arbiterfs.jnrfuse.LibFuse2Abi;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * A jnr-fuse file system that records what it is called with (paths, contexts, fuse_file_info fields, pointer
 * addresses) and answers with what a test asks for: well-behaved and badly-behaved results, both readdir modes.
 * Files: {@code /file} (regular, 100 bytes), {@code /direct} (open sets direct_io through raw memory),
 * {@code /bad} (getattr returns -1000), {@code /listing} (readdir with offsets, 100 entries),
 * {@code /mixed} (readdir mixing modes), {@code /blocking} (write waits for {@link #releaseWrites}).
 */
public class RecordingFs extends FuseStubFS {
    static final long OPEN_FH = 77;
    static final int LISTING = 100;

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, long[]> contexts = new ConcurrentHashMap<>();
    final Map<String, long[]> fileInfos = new ConcurrentHashMap<>();
    final List<Long> readdirOffsets = Collections.synchronizedList(new ArrayList<>());
    volatile long lastReadAddress;
    volatile long lastWriteAddress;
    volatile int readResult = Integer.MIN_VALUE; // MIN_VALUE: the size asked
    volatile int writeResult = Integer.MIN_VALUE;
    volatile int mkdirResult;
    volatile long initConnMinor;
    volatile long initConnWant;
    final Pointer privateData = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(8, true);
    final CountDownLatch writeEntered = new CountDownLatch(1);
    final CountDownLatch releaseWrites = new CountDownLatch(1);

    private void record(String op, String path) {
        calls.add(op + " " + path);
        FuseContext c = getContext();
        Pointer pd = c.private_data.get();
        contexts.put(op, new long[] {c.uid.get(), c.gid.get(), c.pid.get(), c.umask.get(), pd == null ? 0 : pd.address()});
    }

    private void recordFileInfo(String op, FuseFileInfo fi) {
        Pointer m = Struct.getMemory(fi);
        fileInfos.put(op, new long[] {fi.flags.get(), fi.fh.get(), m.getInt(LibFuse2Abi.FILE_INFO_WRITEPAGE),
                fi.lock_owner.get()});
    }

    @Override
    public Pointer init(Pointer conn) {
        initConnMinor = conn.getInt(LibFuse2Abi.CONN_PROTO_MINOR);
        initConnWant = conn.getInt(LibFuse2Abi.CONN_WANT);
        calls.add("init");
        return privateData;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        record("getattr", path);
        switch (path) {
            case "/", "/listing", "/mixed" -> stat.st_mode.set(FileStat.S_IFDIR | 0755);
            case "/file", "/direct", "/blocking", "/moved" -> {
                stat.st_mode.set(FileStat.S_IFREG | 0644);
                stat.st_size.set(100);
                stat.st_nlink.set(1);
                stat.st_ino.set(4711);
            }
            case "/bad" -> {
                return -1000;
            }
            default -> {
                return -ErrorCodes.ENOENT();
            }
        }
        return 0;
    }

    @Override
    public int mkdir(String path, long mode) {
        record("mkdir", path);
        return mkdirResult;
    }

    @Override
    public int chmod(String path, long mode) {
        calls.add("chmod " + Long.toOctalString(mode));
        return 0;
    }

    @Override
    public int chown(String path, long uid, long gid) {
        calls.add("chown " + uid + " " + gid);
        return 0;
    }

    @Override
    public int truncate(String path, long size) {
        calls.add("truncate " + size);
        return 0;
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        calls.add("utimens " + timespec[0].tv_sec.get() + "." + timespec[0].tv_nsec.longValue() + " "
                + timespec[1].tv_sec.get() + "." + timespec[1].tv_nsec.longValue());
        return 0;
    }

    @Override
    public int rename(String oldpath, String newpath) {
        calls.add("rename " + oldpath + " " + newpath);
        return 0;
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        record("open", path);
        recordFileInfo("open", fi);
        fi.fh.set(OPEN_FH);
        if (path.equals("/direct")) {
            Struct.getMemory(fi).putInt(LibFuse2Abi.FILE_INFO_BITS, LibFuse2Abi.FILE_INFO_DIRECT_IO);
        }
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        record("read", path);
        recordFileInfo("read", fi);
        lastReadAddress = buf.address();
        for (int i = 0; i < size; i++) {
            buf.putByte(i, (byte) 'x');
        }
        return readResult == Integer.MIN_VALUE ? (int) size : readResult;
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        record("write", path);
        recordFileInfo("write", fi);
        lastWriteAddress = buf.address();
        if (path.equals("/blocking")) {
            writeEntered.countDown();
            try {
                if (!releaseWrites.await(30, TimeUnit.SECONDS)) {
                    return -ErrorCodes.ETIMEDOUT();
                }
            } catch (InterruptedException e) {
                return -ErrorCodes.EINTR();
            }
        }
        return writeResult == Integer.MIN_VALUE ? (int) size : writeResult;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        record("release", path);
        recordFileInfo("release", fi);
        return 0;
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, long offset, FuseFileInfo fi) {
        record("readdir", path);
        readdirOffsets.add(offset);
        if (path.equals("/mixed")) {
            filter.apply(buf, "a", null, 0);
            filter.apply(buf, "b", null, 2);
            return 0;
        }
        // offsets mode: entry i has cookie i + 1; resume after the cookie given
        for (long i = offset; i < LISTING; i++) {
            if (filter.apply(buf, "entry-" + i, null, i + 1) != 0) {
                break;
            }
        }
        return 0;
    }
}
