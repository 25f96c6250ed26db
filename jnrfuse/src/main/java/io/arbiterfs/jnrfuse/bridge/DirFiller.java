package io.arbiterfs.jnrfuse.bridge;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.STAT_INO;
import static io.arbiterfs.jnrfuse.LibFuse2Abi.STAT_MODE;
import static io.arbiterfs.jnrfuse.LibFuse2Abi.UNKNOWN_INO;

import io.arbiterfs.fuse.DirectoryListing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.FuseFillDir;

/**
 * The {@code fuse_fill_dir_t} handed to a file system's {@code readdir}, in both of libfuse 2's modes
 * ({@code lib/fuse.c} {@code fill_dir}): entries with offset 0 are collected into the open directory's buffer (the
 * file system lists the whole directory at once and the bridge serves it by position); entries with a non-zero
 * offset go straight into the reply with that offset as their cookie, and the filler answers 1 once the reply is
 * full. Mixing both in one call is answered EIO, as it cannot be served consistently. One per request thread,
 * re-aimed for every call.
 */
final class DirFiller implements FuseFillDir {
    private DirectoryListing listing;
    private OpenDir dir;
    private boolean useIno;
    private NameResolver resolver;
    private int buffered;
    private int direct;
    private boolean mixed;

    /** Finds the node id of a listed name for {@code readdir_ino}, or 0. */
    interface NameResolver {
        long nodeId(OpenDir dir, String name);
    }

    void start(DirectoryListing listing, OpenDir dir, boolean useIno, NameResolver resolver) {
        this.listing = listing;
        this.dir = dir;
        this.useIno = useIno;
        this.resolver = resolver;
        this.buffered = 0;
        this.direct = 0;
        this.mixed = false;
    }

    void finish() {
        listing = null;
        dir = null;
        resolver = null;
    }

    boolean mixed() {
        return mixed;
    }

    /** Whether the file system used offsets (the entries are in the reply already). */
    boolean direct() {
        return direct > 0;
    }

    @Override
    public int apply(Pointer buf, ByteBuffer name, Pointer stbuf, long off) {
        if (listing == null) {
            return 1; // called outside readdir: nowhere to put it
        }
        int from = name.position();
        int length = 0;
        while (from + length < name.limit() && name.get(from + length) != 0) {
            length++;
        }
        int type = stbuf == null ? 0 : (stbuf.getInt(STAT_MODE) >>> 12) & 0xF;
        long ino = UNKNOWN_INO;
        if (useIno && stbuf != null) {
            ino = stbuf.getLong(STAT_INO);
        } else if (resolver != null) {
            long id = resolver.nodeId(dir, decode(name, from, length));
            if (id != 0) {
                ino = id;
            }
        }
        if (off != 0) {
            if (buffered > 0) {
                mixed = true;
                return 1;
            }
            direct++;
            return listing.add(ino, off, type, name, from, length) ? 0 : 1;
        }
        if (direct > 0) {
            mixed = true;
            return 1;
        }
        byte[] bytes = new byte[length];
        name.get(from, bytes);
        dir.entries.add(new OpenDir.Listed(bytes, type, ino));
        buffered++;
        return 0;
    }

    private static String decode(ByteBuffer name, int from, int length) {
        byte[] bytes = new byte[length];
        name.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
