package io.arbiterfs.testkit.sys;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * {@code MapWrite FILE LENGTH SEED}: creates FILE, maps it READ_WRITE with a Java MappedByteBuffer,
 * fills it with {@code new Random(SEED)} bytes and forces it out. Run in its own JVM by tests whose
 * daemon lives in the test JVM: a page fault on a mapping of the mount must not happen in the JVM
 * that serves the mount (see {@link io.arbiterfs.testkit.process.ChildProcess}).
 */
public final class MapWrite {
    private MapWrite() {}

    public static byte[] data(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    public static void main(String[] args) throws Exception {
        Path f = Path.of(args[0]);
        byte[] data = data(Integer.parseInt(args[1]), Long.parseLong(args[2]));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, data.length);
            m.put(data);
            m.force();
        }
    }
}
