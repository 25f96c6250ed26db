package io.arbiterfs.jnrfuse.mounted;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.examples.MemoryFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;

/**
 * jnr-fuse's MemoryFS with what fsx needs and the example gets wrong or lacks (on stock jnr-fuse just the same), made
 * of MemoryFS's own methods from outside:
 * <ul>
 *   <li>truncate: the example's ignores growing sizes, and after shrinking it leaves its buffer positioned at the end,
 *       so its next growing write copies nothing of the old data (fsx finds zeros); here growing writes zeros, and a
 *       shrink is followed by a zero-length {@code write()}, which rewinds the buffer;</li>
 *   <li>fallocate (plain, KEEP_SIZE, PUNCH_HOLE, ZERO_RANGE): zeros written where the range must read as zeros;</li>
 *   <li>statfs: the example's is all zeros, and Java's O_DIRECT channels align to {@code f_bsize} (a zero divides by
 *       zero).</li>
 * </ul>
 * Every read and write of file data is MemoryFS's.
 */
public class FsxMemoryFS extends MemoryFS {
    private static final int KEEP_SIZE = 0x01, PUNCH_HOLE = 0x02, ZERO_RANGE = 0x10;

    private long size(String path) {
        FileStat st = FileStat.of(Runtime.getSystemRuntime().getMemoryManager().allocateDirect(144, true));
        int rc = getattr(path, st);
        return rc < 0 ? rc : st.st_size.longValue();
    }

    private int writeZeros(String path, long offset, long length) {
        Pointer zeros = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(Math.max(length, 1), true);
        int rc = write(path, zeros, length, offset, null);
        return rc < 0 ? rc : 0;
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        stbuf.f_bsize.set(4096);
        stbuf.f_frsize.set(4096);
        stbuf.f_namemax.set(255);
        return 0;
    }

    @Override
    public int truncate(String path, long size) {
        long current = size(path);
        if (current < 0) {
            return (int) current;
        }
        if (size > current) {
            return writeZeros(path, current, size - current);
        }
        int rc = super.truncate(path, size);
        return rc < 0 ? rc : writeZeros(path, 0, 0);
    }

    @Override
    public int fallocate(String path, int mode, long off, long length, FuseFileInfo fi) {
        if ((mode & ~(KEEP_SIZE | PUNCH_HOLE | ZERO_RANGE)) != 0) {
            return -ErrorCodes.EOPNOTSUPP();
        }
        long current = size(path);
        if (current < 0) {
            return (int) current;
        }
        boolean keep = (mode & KEEP_SIZE) != 0;
        long end = off + length;
        if ((mode & (PUNCH_HOLE | ZERO_RANGE)) != 0) {
            long zeroEnd = keep ? Math.min(end, current) : end;
            return zeroEnd > off ? writeZeros(path, off, zeroEnd - off) : 0;
        }
        return !keep && end > current ? writeZeros(path, current, end - current) : 0;
    }
}
