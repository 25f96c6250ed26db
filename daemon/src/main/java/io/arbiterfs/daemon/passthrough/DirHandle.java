package io.arbiterfs.daemon.passthrough;

import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.daemon.nativeio.LibC;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.platform.Native;
import java.nio.ByteBuffer;

/**
 * An OPENDIR: an O_RDONLY|O_DIRECTORY fd read with getdents64, and the records fetched but not yet
 * handed to the kernel. The kernel resumes a listing by the offset (d_off) of the last entry it
 * received; when that differs from where this handle stands, the fd is seeked there.
 */
public final class DirHandle {
    /** Looks up one entry for READDIRPLUS (one more lookup count on success, nothing on failure). */
    interface EntryLookup {
        int lookup(Inode dir, long nameAddress, Entry out);
    }

    private static final LibC libc = LibC.get();
    private static final int BUFFER_SIZE = 32 * 1024;
    // struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name NUL-terminated
    private static final int D_OFF = 8;
    private static final int D_RECLEN = 16;
    private static final int D_TYPE = 18;
    private static final int D_NAME = 19;

    private final int fd;
    private final Inode inode;
    private ByteBuffer records; // allocated on first read: many open dirs are never listed
    private long recordsAddress;
    private int pos;
    private int end;
    private long offset; // d_off of the last entry handed out: where the fd stands logically

    DirHandle(int fd, Inode inode) {
        this.fd = fd;
        this.inode = inode;
    }

    int fd() {
        return fd;
    }

    Inode inode() {
        return inode;
    }

    /**
     * Fills {@code sink} from directory offset {@code from}. Returns 0 (an empty sink means the end)
     * or -errno. An entry that does not fit stays buffered and is not looked up.
     */
    synchronized int read(long from, DirectoryListing sink, EntryLookup lookup) {
        if (records == null) {
            records = Native.buffer(BUFFER_SIZE);
            recordsAddress = Native.address(records);
        }
        if (from != offset) {
            if (libc.lseek(fd, from, Linux.SEEK_SET) < 0) {
                return PassthroughFs.errnoResult();
            }
            offset = from;
            pos = end = 0;
        }
        while (true) {
            if (pos >= end) {
                long n = libc.syscall(Linux.SYS_GETDENTS64, fd, recordsAddress, BUFFER_SIZE);
                if (n < 0) {
                    // entries already packed go out; the error shows up on the next request
                    return sink.isEmpty() ? PassthroughFs.errnoResult() : 0;
                }
                pos = 0;
                end = (int) n;
                if (n == 0) {
                    return 0;
                }
            }
            if (!emit(sink, lookup)) {
                // a reply that cannot hold even one entry would read as end-of-directory
                return sink.isEmpty() ? -Errno.EINVAL : 0;
            }
        }
    }

    /** Hands the record at {@code pos} to the sink; false when it does not fit. */
    private boolean emit(DirectoryListing sink, EntryLookup lookup) {
        long ino = records.getLong(pos);
        long next = records.getLong(pos + D_OFF);
        int reclen = records.getShort(pos + D_RECLEN) & 0xffff;
        int type = records.get(pos + D_TYPE) & 0xff;
        int nameAt = pos + D_NAME;
        int nameLength = 0;
        while (nameAt + nameLength < pos + reclen && records.get(nameAt + nameLength) != 0) {
            nameLength++;
        }
        if (sink.isPlus()) {
            Entry entry = sink.addPlus(ino, next, type, records, nameAt, nameLength);
            if (entry == null) {
                return false;
            }
            if (!isDotOrDotDot(nameAt, nameLength)) {
                // a failed lookup (entry removed meanwhile) leaves nodeid 0: the kernel takes the name only
                lookup.lookup(inode, recordsAddress + nameAt, entry);
            }
        } else if (!sink.add(ino, next, type, records, nameAt, nameLength)) {
            return false;
        }
        pos += reclen;
        offset = next;
        return true;
    }

    private boolean isDotOrDotDot(int at, int length) {
        return records.get(at) == '.' && (length == 1 || (length == 2 && records.get(at + 1) == '.'));
    }

    synchronized void close() {
        libc.close(fd);
    }
}
