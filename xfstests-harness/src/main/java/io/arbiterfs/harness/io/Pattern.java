package io.arbiterfs.harness.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Self-describing file contents: every aligned 8-byte word encodes its own file offset and a
 * generation (which write put it there). A reader can therefore tell not just "wrong" but what it
 * found instead: stale data (an older generation at the right offset), misplaced data (a word
 * naming another offset), zeros, or garbage.
 */
public final class Pattern {
    private static final long SCRAMBLE = 0x5A3C_96E1_0F78_2DB4L;
    private static final int GEN_BITS = 20;
    private static final long GEN_MASK = (1L << GEN_BITS) - 1;

    private Pattern() {}

    /** The word at 8-aligned file offset {@code offset} for generation {@code gen} (0 ≤ gen < 2^20). */
    public static long word(long offset, int gen) {
        return (((offset >>> 3) << GEN_BITS) | (gen & GEN_MASK)) ^ SCRAMBLE;
    }

    /** The byte at any file offset for generation {@code gen} (little-endian within its word). */
    public static byte byteAt(long offset, int gen) {
        return (byte) (word(offset & ~7L, gen) >>> (8 * (offset & 7)));
    }

    /** Fills {@code buf[0, len)} with the bytes for file range {@code [offset, offset + len)}. */
    public static void fill(ByteBuffer buf, long offset, int len, int gen) {
        for (int i = 0; i < len; ) {
            long o = offset + i;
            if ((o & 7) == 0 && len - i >= 8) {
                buf.order(ByteOrder.LITTLE_ENDIAN).putLong(i, word(o, gen));
                i += 8;
            } else {
                buf.put(i, byteAt(o, gen));
                i++;
            }
        }
    }

    public static void fill(byte[] dst, int at, long offset, int len, int gen) {
        for (int i = 0; i < len; i++) {
            dst[at + i] = byteAt(offset + i, gen);
        }
    }

    /** Decodes an aligned word: what a reader found at some offset. */
    public record Found(long offset, int gen) {}

    /** The offset and generation a word claims, or null for zero (never written, hole, truncated). */
    public static Found decode(long word) {
        if (word == 0) {
            return null;
        }
        long raw = word ^ SCRAMBLE;
        return new Found((raw >>> GEN_BITS) << 3, (int) (raw & GEN_MASK));
    }

    /**
     * True when {@code w} is the word for offset {@code o} cut short by zeros: the low bytes are that
     * word's bytes (some generation) and the rest zero. Truncating to an unaligned size and growing
     * the file again leaves exactly this at the old EOF, so it is legitimate where truncates race.
     */
    public static boolean isTruncatedWord(long w, long o) {
        if (w == 0) {
            return true;
        }
        int bytes = (63 - Long.numberOfLeadingZeros(w)) / 8 + 1;
        if (bytes >= 8) {
            return false;
        }
        if (bytes < 3) {
            return true; // too short to carry the generation: nothing more to check
        }
        long mask = (1L << (8 * bytes)) - 1;
        int gen = (int) ((w ^ SCRAMBLE) & GEN_MASK);
        return ((word(o, gen) ^ w) & mask) == 0;
    }

    /** Human-readable description of an aligned word found where {@code expectedOffset} was wanted. */
    public static String describe(long word, long expectedOffset) {
        Found f = decode(word);
        if (f == null) {
            return "zeros";
        }
        if (f.offset() > (1L << 44) || f.offset() < 0) {
            return String.format("unrecognised bytes %016x", word);
        }
        long delta = f.offset() - expectedOffset;
        return delta == 0
                ? "generation " + f.gen() + " data for this offset"
                : String.format("generation %d data of offset %d (misplaced by %+d bytes)", f.gen(), f.offset(), delta);
    }
}
