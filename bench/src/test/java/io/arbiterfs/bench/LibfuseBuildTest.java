package io.arbiterfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache key and the command lines of the C peer, without building it. */
class LibfuseBuildTest {
    @Test
    void theKeyFollowsTheSourceContentOnly(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("libfuse");
        Files.createDirectories(src.resolve("lib"));
        Files.writeString(src.resolve("meson.build"), "project('libfuse3', ['c'],\n        version: '3.19.0-rc0',\n        meson_version: '>= 0.60.0')\n");
        Files.writeString(src.resolve("lib/fuse.c"), "int x;\n");
        LibfuseBuild b = new LibfuseBuild(src, dir.resolve("cache"));
        String k = b.key();
        assertEquals(k, new LibfuseBuild(src, dir.resolve("elsewhere")).key(), "the cache place is not part of the key");
        Files.createDirectories(src.resolve("build/meson-private"));
        Files.writeString(src.resolve("build/build.ninja"), "a build directory inside the tree\n");
        Files.createDirectories(src.resolve(".git"));
        Files.writeString(src.resolve(".git/HEAD"), "ref: x\n");
        assertEquals(k, b.key(), "meson build directories and .git are not source");
        Files.writeString(src.resolve("lib/fuse.c"), "int y;\n");
        assertNotEquals(k, b.key(), "an edited source file is a new build");
        assertFalse(b.cached());
        assertEquals("3.19.0-rc0", LibfuseBuild.version(src.resolve("meson.build")));
        Path tarball = dir.resolve("l.tar.gz");
        Files.write(tarball, new byte[] {1, 2, 3});
        assertNotEquals(new LibfuseBuild(tarball, dir.resolve("c")).key(), b.key());
    }

    @Test
    void aMissingSourceSaysWhatToPass(@TempDir Path dir) {
        LibfuseBuild b = new LibfuseBuild(dir.resolve("nope.tar.gz"), dir.resolve("cache"));
        IOException e = assertThrows(IOException.class, b::passthroughHp);
        assertTrue(e.getMessage().contains("--libfuse DIR|TARBALL"), e.getMessage());
        assertThrows(IOException.class, b::passthroughHp, "the failure is remembered");
    }

    @Test
    void passthroughHpKeepsIoInTheServerAndEveryOpenDirect() {
        List<String> dev = PassthroughHpProcess.command(Path.of("/b/passthrough_hp"), List.of(), Path.of("/t/source"), Path.of("/t/mnt"));
        assertEquals(List.of("/b/passthrough_hp", "--foreground", "--nopassthrough", "--direct-io", "/t/source", "/t/mnt"), dev);
        List<String> ring = PassthroughHpProcess.command(Path.of("/b/passthrough_hp"), List.of("io_uring"), Path.of("/t/source"), Path.of("/t/mnt"));
        assertEquals(List.of("/b/passthrough_hp", "--foreground", "--nopassthrough", "--direct-io", "-o", "io_uring", "/t/source", "/t/mnt"), ring);
        LibfuseBuild.PassthroughHp hp = new LibfuseBuild.PassthroughHp(Path.of("/b/passthrough_hp"), Path.of("/b/lib"), "3.19.0-rc0", Path.of("/s"));
        assertTrue(hp.environment().get("LD_LIBRARY_PATH").startsWith("/b/lib"), "the build's libfuse3.so first");
    }
}
