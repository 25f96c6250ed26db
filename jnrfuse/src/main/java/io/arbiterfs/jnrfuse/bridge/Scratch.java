package io.arbiterfs.jnrfuse.bridge;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.*;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Flock;
import ru.serce.jnrfuse.struct.FuseBufvec;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * One request thread's native scratch memory with jnr-fuse's own struct classes laid over it, in the libfuse 2
 * x86-64 layouts ({@link io.arbiterfs.jnrfuse.LibFuse2Abi}): what libfuse keeps on its stack for a call. Made once
 * per thread and reused by every request, so no call allocates a struct. Also the thread's jnr {@link Pointer}s onto
 * the engine's request and reply buffers: those buffers stay where they are for a thread's life, so a pointer is
 * made the first time an address is seen and reused after.
 */
final class Scratch {
    private static final int STAT_AT = 0;
    private static final int FILE_INFO_AT = STAT_AT + STAT_SIZE;              // 144
    private static final int STATVFS_AT = FILE_INFO_AT + FILE_INFO_SIZE;     // 184
    private static final int FLOCK_AT = STATVFS_AT + STATVFS_SIZE;           // 296
    private static final int TIMES_AT = FLOCK_AT + FLOCK_SIZE;               // 328
    private static final int BUFVEC_AT = TIMES_AT + 2 * TIMESPEC_SIZE;       // 360
    private static final int BUFP_AT = BUFVEC_AT + BUFVEC_BUF + BUF_SIZE;    // 424
    private static final int TOTAL = BUFP_AT + 8;

    /** Room for the request and reply buffers of up to 8 ring entries per thread; beyond that pointers are remade. */
    private static final int POINTER_SLOTS = 16;

    private final Runtime runtime = Runtime.getSystemRuntime();
    final Pointer memory = runtime.getMemoryManager().allocateDirect(TOTAL, true);
    final Pointer statMemory = memory.slice(STAT_AT, STAT_SIZE);
    final Pointer fileInfoMemory = memory.slice(FILE_INFO_AT, FILE_INFO_SIZE);
    final Pointer statvfsMemory = memory.slice(STATVFS_AT, STATVFS_SIZE);
    final Pointer flockMemory = memory.slice(FLOCK_AT, FLOCK_SIZE);
    final Pointer timesMemory = memory.slice(TIMES_AT, 2 * TIMESPEC_SIZE);
    final Pointer bufvecMemory = memory.slice(BUFVEC_AT, BUFVEC_BUF + BUF_SIZE);
    /** A {@code struct fuse_bufvec **} for read_buf. */
    final Pointer bufp = memory.slice(BUFP_AT, 8);
    final FileStat stat = FileStat.of(statMemory);
    final FuseFileInfo fileInfo = FuseFileInfo.of(fileInfoMemory);
    final Statvfs statvfs = Statvfs.of(statvfsMemory);
    final Flock flock = Flock.of(flockMemory);
    final Timespec[] times = {Timespec.of(timesMemory), Timespec.of(timesMemory.slice(TIMESPEC_SIZE))};
    final FuseBufvec bufvec = FuseBufvec.of(bufvecMemory);
    final DirFiller filler = new DirFiller();

    private final long[] addresses = new long[POINTER_SLOTS];
    private final Pointer[] pointers = new Pointer[POINTER_SLOTS];
    private int nextSlot;

    /** Zeroes by absolute address: jnr-ffi's setMemory on a slice checks the bounds against the slice's offset. */
    private static void zero(Pointer p, int size) {
        MemoryIO.getInstance().setMemory(p.address(), size, (byte) 0);
    }

    /** A zeroed {@code struct stat}. */
    FileStat stat() {
        zero(statMemory, STAT_SIZE);
        return stat;
    }

    /**
     * The {@code struct fuse_file_info} of one call: open flags, the file system's handle, {@code writepage} and
     * the lock owner, bit-fields clear (libfuse 2.9 {@code fuse_lowlevel.c} fills it the same way per request).
     */
    FuseFileInfo fileInfo(int flags, long fh, int writepage, long lockOwner) {
        fileInfoMemory.putInt(FILE_INFO_FLAGS, flags);
        fileInfoMemory.putLong(FILE_INFO_FH_OLD, fh);
        fileInfoMemory.putInt(FILE_INFO_WRITEPAGE, writepage);
        fileInfoMemory.putInt(FILE_INFO_BITS, 0);
        fileInfoMemory.putLong(FILE_INFO_FH, fh);
        fileInfoMemory.putLong(FILE_INFO_LOCK_OWNER, lockOwner);
        return fileInfo;
    }

    /** The bit-field word (direct_io, keep_cache, …) the file system may have set through raw memory. */
    int fileInfoBits() {
        return fileInfoMemory.getInt(FILE_INFO_BITS);
    }

    /** The {@code fh} the file system set in open/create/opendir. */
    long fileInfoFh() {
        return fileInfoMemory.getLong(FILE_INFO_FH);
    }

    Statvfs statvfs() {
        zero(statvfsMemory, STATVFS_SIZE);
        return statvfs;
    }

    Flock flock(int type, long start, long length, int pid) {
        zero(flockMemory, FLOCK_SIZE);
        flockMemory.putShort(FLOCK_TYPE, (short) type);
        flockMemory.putShort(FLOCK_WHENCE, (short) 0); // SEEK_SET
        flockMemory.putLong(FLOCK_START, start);
        flockMemory.putLong(FLOCK_LEN, length);
        flockMemory.putInt(FLOCK_PID, pid);
        return flock;
    }

    /** A one-buffer {@code struct fuse_bufvec} over {@code size} bytes of memory at {@code address}. */
    FuseBufvec memoryBufvec(long address, long size) {
        bufvecMemory.putLong(BUFVEC_COUNT, 1);
        bufvecMemory.putLong(BUFVEC_IDX, 0);
        bufvecMemory.putLong(BUFVEC_OFF, 0);
        bufvecMemory.putLong(BUFVEC_BUF + BUF_SIZE_FIELD, size);
        bufvecMemory.putInt(BUFVEC_BUF + BUF_FLAGS, 0);
        bufvecMemory.putAddress(BUFVEC_BUF + BUF_MEM, address);
        bufvecMemory.putInt(BUFVEC_BUF + BUF_FD, -1);
        bufvecMemory.putLong(BUFVEC_BUF + BUF_POS, 0);
        return bufvec;
    }

    /** A pointer to {@code address} (engine buffer memory): made once per address, then reused. */
    Pointer at(long address) {
        for (int i = 0; i < POINTER_SLOTS; i++) {
            if (addresses[i] == address && pointers[i] != null) {
                return pointers[i];
            }
        }
        int slot = nextSlot;
        nextSlot = (slot + 1) % POINTER_SLOTS;
        addresses[slot] = address;
        pointers[slot] = Pointer.wrap(runtime, address);
        return pointers[slot];
    }
}
