package io.arbiterfs.fuse;

import java.nio.ByteBuffer;

/**
 * The reply to READDIR or READDIRPLUS: entries packed into the room the kernel offered. Add entries in order;
 * when one does not fit it is refused (nothing is written) and the listing continues from the last accepted
 * entry's cookie in the next request.
 */
public interface DirectoryListing {
    /** True for READDIRPLUS: use {@link #addPlus}, which also answers a lookup per entry. */
    boolean isPlus();

    /** True until an entry was added. */
    boolean isEmpty();

    /**
     * Adds a READDIR entry: {@code name} ({@code length} bytes at {@code offset} of {@code nameBuffer}),
     * {@code ino} as in st_ino, {@code type} a DT_* value, and {@code cookie} from which to continue after it.
     *
     * @return false if the reply is full
     */
    boolean add(long ino, long cookie, int type, ByteBuffer nameBuffer, int offset, int length);

    /** {@link #add(long, long, int, ByteBuffer, int, int)} with a name given as a string. */
    boolean add(long ino, long cookie, int type, String name);

    /**
     * Adds a READDIRPLUS entry and returns its {@link Entry} to fill as a lookup would (a node id given there counts
     * one lookup). Leaving the node id 0 sends only the name.
     *
     * @return the entry, or null if the reply is full
     */
    Entry addPlus(long ino, long cookie, int type, ByteBuffer nameBuffer, int offset, int length);

    /** {@link #addPlus(long, long, int, ByteBuffer, int, int)} with a name given as a string. */
    Entry addPlus(long ino, long cookie, int type, String name);
}
