package io.arbiterfs.fuse.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A NUL-terminated copy of a Java string in native memory, for path arguments built in Java. */
public final class NativeString {
    private final ByteBuffer buffer; // keeps the memory alive while the address is used
    private final long address;

    private NativeString(byte[] bytes) {
        buffer = Native.buffer(bytes.length + 1);
        buffer.put(0, bytes).put(bytes.length, (byte) 0);
        address = Native.address(buffer);
    }

    public static NativeString of(String s) {
        return new NativeString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static NativeString of(byte[] bytes) {
        return new NativeString(bytes);
    }

    public long address() {
        return address;
    }

    /** The path through which an O_PATH fd's file can be reopened or named by path-only calls. */
    public static NativeString procSelfFd(int fd) {
        return of("/proc/self/fd/" + fd);
    }
}
