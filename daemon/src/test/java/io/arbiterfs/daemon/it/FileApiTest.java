package io.arbiterfs.daemon.it;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plain java.nio file operations through a live mount, cross-checked against SOURCE. */
@Tag("mount")
class FileApiTest {
    @RegisterExtension
    static final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm();

    @Test
    void createWriteReadAppend() throws IOException {
        Path d = fs.dir("cwra");
        Path f = d.resolve("hello.txt");
        Files.writeString(f, "hello", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        assertEquals("hello", Files.readString(f));
        Files.writeString(f, ", world\n", StandardOpenOption.APPEND);
        assertEquals("hello, world\n", Files.readString(f));
        assertEquals(13, Files.size(f));
        assertEquals("hello, world\n", Files.readString(fs.backing(f)), "SOURCE must hold the same bytes");
        assertThrows(FileAlreadyExistsException.class, () -> Files.createFile(f));

        // overwrite in the middle, then truncate through the channel
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("J".getBytes(StandardCharsets.US_ASCII)), 0);
            ch.truncate(5);
        }
        assertEquals("Jello", Files.readString(f));
        assertEquals("Jello", Files.readString(fs.backing(f)));

        // TRUNCATE_EXISTING on reopen
        Files.writeString(f, "x", StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        assertEquals("x", Files.readString(fs.backing(f)));
    }

    @Test
    void largeRandomContentRoundTrips() throws IOException {
        Path d = fs.dir("large");
        byte[] data = new byte[3 * 1024 * 1024 + 4097];
        new Random(42).nextBytes(data);
        Path f = d.resolve("blob");
        Files.write(f, data);
        assertArrayEquals(data, Files.readAllBytes(f));
        assertEquals(-1L, Files.mismatch(f, fs.backing(f)));
        // a positional read at an odd offset
        try (FileChannel ch = FileChannel.open(f)) {
            ByteBuffer b = ByteBuffer.allocate(10_000);
            int n = ch.read(b, 1_234_567);
            assertEquals(10_000, n);
            for (int i = 0; i < n; i++) {
                assertEquals(data[1_234_567 + i], b.get(i), "byte at " + (1_234_567 + i));
            }
        }
    }

    @Test
    void sourceSideWritesAreVisibleThroughTheMount() throws IOException {
        Path d = fs.dir("fromsource");
        Files.writeString(fs.backing(d).resolve("made-in-source"), "abc");
        assertEquals("abc", Files.readString(d.resolve("made-in-source")));
    }

    @Test
    void directories() throws IOException {
        Path d = fs.dir("dirs");
        Path nested = Files.createDirectories(d.resolve("a/b/c"));
        assertTrue(Files.isDirectory(nested));
        assertTrue(Files.isDirectory(fs.backing(nested)));
        Files.writeString(nested.resolve("f"), "1");
        Files.createDirectory(d.resolve("a/b/c2"));
        try (Stream<Path> s = Files.list(d.resolve("a/b"))) {
            assertEquals(Set.of("c", "c2"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(d.resolve("a/b/c")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(d.resolve("a/b/c2")));
        Files.delete(nested.resolve("f"));
        Files.delete(nested);
        Files.delete(d.resolve("a/b/c2"));
        assertFalse(Files.exists(d.resolve("a/b/c")));
        assertFalse(Files.exists(fs.backing(d.resolve("a/b/c"))));
        try (Stream<Path> s = Files.list(d.resolve("a/b"))) {
            assertEquals(0, s.count());
        }
        // nlink of a directory: 2 + number of subdirectories
        Files.createDirectory(d.resolve("a/b/x"));
        Files.createDirectory(d.resolve("a/b/y"));
        assertEquals(4, (int) Files.getAttribute(d.resolve("a/b"), "unix:nlink"));
    }

    @Test
    void renameAndMove() throws IOException {
        Path d = fs.dir("rename");
        Path a = Files.writeString(d.resolve("a"), "A");
        Path b = d.resolve("b");
        Files.move(a, b);
        assertFalse(Files.exists(a));
        assertEquals("A", Files.readString(b));
        assertFalse(Files.exists(fs.backing(a)));
        assertEquals("A", Files.readString(fs.backing(b)));

        // across directories
        Path sub = Files.createDirectory(d.resolve("sub"));
        Files.move(b, sub.resolve("b2"));
        assertEquals("A", Files.readString(fs.backing(sub.resolve("b2"))));

        // replace an existing target atomically
        Files.writeString(d.resolve("victim"), "old");
        Files.writeString(d.resolve("winner"), "new");
        Files.move(d.resolve("winner"), d.resolve("victim"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals("new", Files.readString(d.resolve("victim")));
        assertFalse(Files.exists(d.resolve("winner")));
        // without REPLACE_EXISTING, an existing target is an error
        Files.writeString(d.resolve("c"), "C");
        assertThrows(FileAlreadyExistsException.class, () -> Files.move(d.resolve("c"), d.resolve("victim")));

        // a whole directory with content
        Files.move(sub, d.resolve("sub-moved"));
        assertEquals("A", Files.readString(d.resolve("sub-moved/b2")));
        assertEquals("A", Files.readString(fs.backing(d.resolve("sub-moved/b2"))));
        assertFalse(Files.exists(fs.backing(sub)));

        // an open file keeps working across a rename of its directory
        Path dir2 = Files.createDirectory(d.resolve("dir2"));
        try (FileChannel ch = FileChannel.open(dir2.resolve("open"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.move(dir2, d.resolve("dir3"));
            ch.write(ByteBuffer.wrap("after-rename".getBytes(StandardCharsets.US_ASCII)));
        }
        assertEquals("after-rename", Files.readString(fs.backing(d.resolve("dir3/open"))));
    }

    @Test
    void delete() throws IOException {
        Path d = fs.dir("delete");
        Path f = Files.writeString(d.resolve("f"), "x");
        Files.delete(f);
        assertFalse(Files.exists(f));
        assertFalse(Files.exists(fs.backing(f)));
        assertThrows(NoSuchFileException.class, () -> Files.delete(f));
        // unlink while open: the data stays readable through the open handle
        Path g = Files.writeString(d.resolve("g"), "still here");
        try (FileChannel ch = FileChannel.open(g)) {
            Files.delete(g);
            assertFalse(Files.exists(fs.backing(g)));
            ByteBuffer b = ByteBuffer.allocate(64);
            int n = ch.read(b, 0);
            assertEquals("still here", new String(b.array(), 0, n, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void attributes() throws IOException {
        Path d = fs.dir("attrs");
        Path f = Files.write(d.resolve("f"), new byte[12345]);
        PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class);
        PosixFileAttributes a = view.readAttributes();
        assertEquals(12345, a.size());
        assertTrue(a.isRegularFile());

        view.setPermissions(PosixFilePermissions.fromString("rwxr-x---"));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(view.readAttributes().permissions()));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(fs.backing(f))));
        view.setPermissions(PosixFilePermissions.fromString("r--------"));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fs.backing(f))));
        assertEquals(0400, (int) Files.getAttribute(f, "unix:mode") & 07777);

        FileTime mtime = FileTime.from(Instant.parse("2021-06-07T08:09:10.123456789Z"));
        FileTime atime = FileTime.from(Instant.parse("2019-01-01T00:00:00Z"));
        view.setTimes(mtime, atime, null);
        PosixFileAttributes after = view.readAttributes();
        assertEquals(mtime.toInstant(), after.lastModifiedTime().toInstant());
        assertEquals(atime.toInstant(), after.lastAccessTime().toInstant());
        assertEquals(mtime.toInstant(), Files.getLastModifiedTime(fs.backing(f)).toInstant());

        // size change through truncate-on-open, seen on both sides
        Files.write(f, new byte[7]);
        assertEquals(7, Files.size(f));
        assertEquals(7, Files.size(fs.backing(f)));

        // a write moves mtime forward
        Instant before = Files.getLastModifiedTime(f).toInstant();
        Files.write(f, new byte[1], StandardOpenOption.APPEND);
        assertTrue(Files.getLastModifiedTime(f).toInstant().isAfter(before), "mtime must advance on write");

        // the inode number shown through the mount is stable across lookups
        Object ino1 = Files.getAttribute(f, "unix:ino");
        Object ino2 = Files.getAttribute(d.resolve("f"), "unix:ino");
        assertEquals(ino1, ino2);
    }

    @Test
    void symlinks() throws IOException {
        Path d = fs.dir("symlinks");
        Path target = Files.writeString(d.resolve("target"), "T");
        Path rel = Files.createSymbolicLink(d.resolve("rel"), Path.of("target"));
        Path abs = Files.createSymbolicLink(d.resolve("abs"), Path.of("/nonexistent/abs/target"));
        assertEquals(Path.of("target"), Files.readSymbolicLink(rel));
        assertEquals(Path.of("/nonexistent/abs/target"), Files.readSymbolicLink(abs));
        assertEquals(Path.of("target"), Files.readSymbolicLink(fs.backing(rel)), "SOURCE holds the link text as given");
        assertTrue(Files.isSymbolicLink(rel));
        assertTrue(Files.isSymbolicLink(fs.backing(rel)));
        assertEquals("T", Files.readString(rel));
        assertFalse(Files.exists(abs), "dangling link");
        assertTrue(Files.exists(abs, LinkOption.NOFOLLOW_LINKS));
        // lstat size of a symlink is the length of its text
        assertEquals(6, Files.readAttributes(rel, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size());
        // renaming and deleting the link leaves the target alone
        Files.move(rel, d.resolve("rel2"));
        assertEquals(Path.of("target"), Files.readSymbolicLink(d.resolve("rel2")));
        Files.delete(d.resolve("rel2"));
        assertEquals("T", Files.readString(target));
        // a symlink to a directory
        Files.createDirectory(d.resolve("realdir"));
        Files.writeString(d.resolve("realdir/in"), "I");
        Files.createSymbolicLink(d.resolve("dirlink"), Path.of("realdir"));
        assertEquals("I", Files.readString(d.resolve("dirlink/in")));
    }

    @Test
    void hardLinks() throws IOException {
        Path d = fs.dir("hardlinks");
        Path a = Files.writeString(d.resolve("a"), "shared");
        Path b = Files.createLink(d.resolve("b"), a);
        assertEquals(2, (int) Files.getAttribute(a, "unix:nlink"));
        assertEquals(2, (int) Files.getAttribute(b, "unix:nlink"));
        assertEquals(2, (int) Files.getAttribute(fs.backing(a), "unix:nlink"));
        assertEquals(Files.getAttribute(a, "unix:ino"), Files.getAttribute(b, "unix:ino"));
        assertTrue(Files.isSameFile(a, b));
        Files.writeString(b, "changed via b");
        assertEquals("changed via b", Files.readString(a));
        assertEquals("changed via b", Files.readString(fs.backing(a)));
        Files.delete(a);
        assertEquals(1, (int) Files.getAttribute(b, "unix:nlink"));
        assertEquals("changed via b", Files.readString(b));
        // a hard link to a directory is refused
        Path dir = Files.createDirectory(d.resolve("dir"));
        assertThrows(IOException.class, () -> Files.createLink(d.resolve("dirlink"), dir));
    }

    @Test
    void rootListingMatchesSource() throws IOException {
        Path d = fs.dir("listing");
        for (String n : List.of("one", "two", "three")) {
            Files.writeString(d.resolve(n), n);
        }
        Files.createDirectory(d.resolve("sub"));
        try (Stream<Path> viaMount = Files.list(d); Stream<Path> viaSource = Files.list(fs.backing(d))) {
            assertEquals(viaSource.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    viaMount.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }
}
