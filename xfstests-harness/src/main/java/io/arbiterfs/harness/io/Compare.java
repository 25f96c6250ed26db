package io.arbiterfs.harness.io;

import io.arbiterfs.harness.core.TestFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Content checks against {@link Pattern}, with a diagnosis of the first mismatch. */
public final class Compare {
    private Compare() {}

    /**
     * Fails unless {@code actual[0, len)} holds generation {@code gen} for file range
     * {@code [offset, offset + len)}.
     *
     * @param what who read it how, e.g. "buffered read of file1"
     */
    public static void expectGeneration(String what, ByteBuffer actual, long offset, int len, int gen) throws TestFailure {
        int bad = firstMismatch(actual, offset, len, gen);
        if (bad >= 0) {
            throw new TestFailure(mismatchMessage(what, actual, offset, len, bad, gen));
        }
    }

    /** Index of the first byte differing from generation {@code gen}, or -1. */
    public static int firstMismatch(ByteBuffer actual, long offset, int len, int gen) {
        ByteBuffer le = actual.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < len; ) {
            long o = offset + i;
            if ((o & 7) == 0 && len - i >= 8) {
                if (le.getLong(i) != Pattern.word(o, gen)) {
                    for (int j = i; j < i + 8; j++) {
                        if (le.get(j) != Pattern.byteAt(offset + j, gen)) {
                            return j;
                        }
                    }
                }
                i += 8;
            } else {
                if (le.get(i) != Pattern.byteAt(o, gen)) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    public static String mismatchMessage(String what, ByteBuffer actual, long offset, int len, int bad, int gen) {
        long badOffset = offset + bad;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: miscompare at file offset %d (0x%x), expected generation %d", what, badOffset, badOffset, gen));
        int wordStart = (int) (((badOffset & ~7L) - offset));
        if (wordStart >= 0 && wordStart + 8 <= len) {
            long w = actual.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(wordStart);
            sb.append("; found ").append(Pattern.describe(w, badOffset & ~7L));
        }
        int bytesBad = 0;
        for (int i = bad; i < len; i++) {
            if (actual.get(i) != Pattern.byteAt(offset + i, gen)) {
                bytesBad++;
            }
        }
        sb.append(String.format("; %d of %d bytes from there differ", bytesBad, len - bad));
        sb.append("\n  expected: ").append(hex(expectedBytes(badOffset, gen, 16)));
        sb.append("\n  actual:   ").append(hex(slice(actual, bad, Math.min(16, len - bad))));
        return sb.toString();
    }

    private static byte[] expectedBytes(long offset, int gen, int n) {
        byte[] b = new byte[n];
        Pattern.fill(b, 0, offset, n, gen);
        return b;
    }

    private static byte[] slice(ByteBuffer buf, int at, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = buf.get(at + i);
        }
        return b;
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x & 0xff));
        }
        return sb.toString().trim();
    }
}
