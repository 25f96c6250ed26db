package io.arbiterfs.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.testkit.mount.MountFixture;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples mounted on the bare engine (no arbitration: that is the daemon's ExamplesMountTest), through the
 * engine's public builder only, as a library user would mount them.
 */
@Tag("mount")
class ExamplesMountedTest {
    @RegisterExtension
    static final MountFixture<FuseMount> hello = MountFixture.of((source, mnt) ->
            FuseMount.builder(new HelloFs()).mountpoint(mnt).fsname("example-hello").threads(2).mount());

    @RegisterExtension
    static final MountFixture<FuseMount> memory = MountFixture.of((source, mnt) ->
            FuseMount.builder(new MemoryFs()).mountpoint(mnt).fsname("example-memory").threads(4).mount());

    @Test
    void helloShowsOneReadOnlyFile() throws IOException {
        assertEquals("Hello, world!\n", Files.readString(hello.file(HelloFs.NAME)));
        try (Stream<Path> s = Files.list(hello.mnt())) {
            assertEquals(List.of(HelloFs.NAME), s.map(p -> p.getFileName().toString()).toList());
        }
        assertThrows(AccessDeniedException.class, () -> Files.writeString(hello.file(HelloFs.NAME), "no"));
    }

    @Test
    void memoryKeepsFilesAndDirectories() throws IOException {
        Path d = memory.dir("d");
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(d.resolve("f"), data);
        assertArrayEquals(data, Files.readAllBytes(d.resolve("f")));
        Files.move(d.resolve("f"), d.resolve("g"));
        try (Stream<Path> s = Files.list(d)) {
            assertEquals(List.of("g"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(data.length, Files.size(d.resolve("g")));
    }
}
