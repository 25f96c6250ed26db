package io.arbiterfs.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A file name from a request: raw bytes as the kernel sent them (usually UTF-8, but any bytes but '/' and
 * NUL are possible), NUL-terminated in the request buffer, so {@link #address()} can go straight to an
 * {@code *at()} system call. Valid only during the call.
 */
public interface Name {
    /** Number of bytes, without the terminating NUL. */
    int length();

    /** Byte {@code i}. */
    byte byteAt(int i);

    /** The native address of the first byte; a NUL follows the last one. */
    long address();

    /** A read-only buffer over the request memory: the name is {@code [bufferOffset(), bufferOffset() + length())}. */
    ByteBuffer buffer();

    /** Where the name starts in {@link #buffer()}. */
    int bufferOffset();

    /** The bytes, copied. */
    default byte[] bytes() {
        byte[] b = new byte[length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = byteAt(i);
        }
        return b;
    }

    /** The name decoded as UTF-8 (malformed bytes become U+FFFD). */
    default String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** True for "." and "..", which are never ordinary entries. */
    default boolean isDotOrDotDot() {
        int n = length();
        return (n == 1 && byteAt(0) == '.') || (n == 2 && byteAt(0) == '.' && byteAt(1) == '.');
    }

    /** True for "..". */
    default boolean isDotDot() {
        return length() == 2 && byteAt(0) == '.' && byteAt(1) == '.';
    }

    /** A name with '/' could walk out of its directory; the kernel never sends one, a raw client might. */
    default boolean containsSlash() {
        for (int i = 0; i < length(); i++) {
            if (byteAt(i) == '/') {
                return true;
            }
        }
        return false;
    }

    /** Whether the name's bytes are {@code s} in UTF-8, without allocating for ASCII names. */
    default boolean is(String s) {
        int n = length();
        if (s.length() == n) {
            boolean ascii = true;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                    break;
                }
                if (byteAt(i) != (byte) c) {
                    return false;
                }
            }
            if (ascii) {
                return true;
            }
        }
        return java.util.Arrays.equals(bytes(), s.getBytes(StandardCharsets.UTF_8));
    }
}
