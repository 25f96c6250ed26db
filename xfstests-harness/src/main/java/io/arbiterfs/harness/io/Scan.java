package io.arbiterfs.harness.io;

import io.arbiterfs.harness.core.TestFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks for reads that race writers: the exact generation is unknowable, but every word must
 * still be data written for its own offset (never misplaced or garbage), of a generation inside
 * the window the test knows was possible, or zeros where zeros are possible.
 */
public final class Scan {
    /** The generations possible at a given file offset, inclusive. */
    public interface Window {
        int min(long offset);

        int max(long offset);
    }

    private Scan() {}

    /** Fails at the first word of {@code buf[0, len)} (file offset {@code offset}, 8-aligned) outside the window. */
    public static void check(String what, ByteBuffer buf, long offset, int len, Window window, boolean zerosAllowed)
            throws TestFailure {
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 8 <= len; i += 8) {
            long o = offset + i;
            long w = le.getLong(i);
            Pattern.Found f = Pattern.decode(w);
            if (f == null) {
                if (zerosAllowed) {
                    continue;
                }
                throw new TestFailure(String.format("%s: zeros at offset %d where data was written", what, o));
            }
            if (zerosAllowed && Pattern.isTruncatedWord(w, o)) {
                continue; // data cut off by a truncate to an unaligned size, then zeros
            }
            if (f.offset() != o) {
                throw new TestFailure(String.format("%s: at offset %d found %s", what, o, Pattern.describe(w, o)));
            }
            if (f.gen() < window.min(o) || f.gen() > window.max(o)) {
                throw new TestFailure(String.format("%s: at offset %d found generation %d, possible were %d..%d (stale data)",
                        what, o, f.gen(), window.min(o), window.max(o)));
            }
        }
    }
}
