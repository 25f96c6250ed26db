package io.arbiterfs.harness.fsx;

import java.util.ArrayList;
import java.util.List;

/** The last operations of an fsx stream, for the report around a miscompare. */
final class OpLog {
    /** One executed operation; {@code sizeAfter} is the model's file size after it. */
    record Entry(long number, Op op, long offset, long length, long sizeAfter, String note) {
        boolean touches(long at) {
            return at >= offset && at < offset + length;
        }

        @Override
        public String toString() {
            return String.format("%8d %-10s 0x%06x .. 0x%06x (%6d bytes)  size 0x%06x%s", number, op.label, offset,
                    offset + length, length, sizeAfter, note.isEmpty() ? "" : "  " + note);
        }
    }

    private final Entry[] ring;
    private long count;

    OpLog(int capacity) {
        ring = new Entry[capacity];
    }

    void add(Entry e) {
        ring[(int) (count++ % ring.length)] = e;
    }

    /** The newest entry. */
    Entry last() {
        return ring[(int) ((count - 1) % ring.length)];
    }

    /** Forgets the newest entry (to replace it with its completed form). */
    void dropLast() {
        if (count > 0) {
            count--;
        }
    }

    /** Oldest first. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        long from = Math.max(0, count - ring.length);
        for (long i = from; i < count; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /** The last {@code n} entries, and of the older ones those touching {@code offset}. */
    List<String> around(long offset, int n) {
        List<Entry> all = entries();
        List<String> lines = new ArrayList<>();
        int tailStart = Math.max(0, all.size() - n);
        List<String> older = new ArrayList<>();
        for (int i = 0; i < tailStart; i++) {
            if (all.get(i).touches(offset)) {
                older.add("  " + all.get(i));
            }
        }
        if (!older.isEmpty()) {
            lines.add(String.format("earlier operations covering offset 0x%x:", offset));
            lines.addAll(older.subList(Math.max(0, older.size() - 10), older.size()));
        }
        lines.add("last " + (all.size() - tailStart) + " operations (* = covers the bad offset):");
        for (int i = tailStart; i < all.size(); i++) {
            lines.add((all.get(i).touches(offset) ? "* " : "  ") + all.get(i));
        }
        return lines;
    }
}
