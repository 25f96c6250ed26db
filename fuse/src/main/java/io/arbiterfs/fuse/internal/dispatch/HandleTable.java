package io.arbiterfs.fuse.internal.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The engine's open handles: the number the kernel echoes back (fh) → the file system's handle object. An fh is a
 * slot index in its low 32 bits and the slot's generation above, so a stale or forged fh finds nothing. A lookup
 * is two array reads and no hashing; slots live in fixed chunks that never move, so readers take no lock.
 * Adding and removing (open, release) take the table's monitor.
 */
final class HandleTable {
    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /** One open: the handle and whether it belongs to a directory. */
    private record Slot(long fh, Object handle, boolean directory) {}

    private volatile AtomicReferenceArray<Slot>[] chunks = newChunks(1);
    private int[] gen = new int[CHUNK];
    private int[] free = new int[64];
    private int freeCount;
    private int next = 1; // index 0 stays empty: fh 0 means "no handle"
    private int size;

    @SuppressWarnings("unchecked")
    private static AtomicReferenceArray<Slot>[] newChunks(int n) {
        AtomicReferenceArray<Slot>[] c = new AtomicReferenceArray[n];
        for (int i = 0; i < n; i++) {
            c[i] = new AtomicReferenceArray<>(CHUNK);
        }
        return c;
    }

    /** Stores {@code handle}; returns its fh (never 0). */
    synchronized long add(Object handle, boolean directory) {
        int index = freeCount > 0 ? free[--freeCount] : next++;
        if (index < 0) {
            throw new IllegalStateException("handle table full");
        }
        AtomicReferenceArray<Slot>[] c = chunks;
        if ((index >>> CHUNK_BITS) >= c.length) {
            AtomicReferenceArray<Slot>[] grown = java.util.Arrays.copyOf(c, c.length * 2);
            for (int i = c.length; i < grown.length; i++) {
                grown[i] = new AtomicReferenceArray<>(CHUNK);
            }
            chunks = grown;
            c = grown;
            gen = java.util.Arrays.copyOf(gen, grown.length * CHUNK);
        }
        int g = ++gen[index];
        long fh = ((long) g << 32) | index;
        c[index >>> CHUNK_BITS].set(index & (CHUNK - 1), new Slot(fh, handle, directory));
        size++;
        return fh;
    }

    /** The handle of file {@code fh}, or null if there is none (fh 0, stale, or a directory's). */
    Object file(long fh) {
        Slot s = slot(fh);
        return s != null && !s.directory ? s.handle : null;
    }

    /** The handle of directory {@code fh}, or null. */
    Object directory(long fh) {
        Slot s = slot(fh);
        return s != null && s.directory ? s.handle : null;
    }

    /** Whether {@code fh} names a live open of the given kind. */
    boolean contains(long fh, boolean directory) {
        Slot s = slot(fh);
        return s != null && s.directory == directory;
    }

    private Slot slot(long fh) {
        int index = (int) fh;
        AtomicReferenceArray<Slot>[] c = chunks;
        if (index <= 0 || (index >>> CHUNK_BITS) >= c.length) {
            return null;
        }
        Slot s = c[index >>> CHUNK_BITS].get(index & (CHUNK - 1));
        return s != null && s.fh == fh ? s : null;
    }

    /** Forgets {@code fh}; returns the handle it had, or null. */
    synchronized Object remove(long fh, boolean directory) {
        Slot s = slot(fh);
        if (s == null || s.directory != directory) {
            return null;
        }
        int index = (int) fh;
        chunks[index >>> CHUNK_BITS].set(index & (CHUNK - 1), null);
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = index;
        size--;
        return s.handle;
    }

    synchronized int size() {
        return size;
    }

    /** A handle left open when the connection ended. */
    record Leftover(Object handle, boolean directory) {}

    /** Every handle still open (for shutdown), and the table emptied. */
    synchronized List<Leftover> drain() {
        List<Leftover> all = new ArrayList<>();
        AtomicReferenceArray<Slot>[] c = chunks;
        for (AtomicReferenceArray<Slot> chunk : c) {
            for (int i = 0; i < CHUNK; i++) {
                Slot s = chunk.getAndSet(i, null);
                if (s != null) {
                    all.add(new Leftover(s.handle, s.directory));
                }
            }
        }
        freeCount = 0;
        next = 1;
        size = 0;
        return all;
    }
}
