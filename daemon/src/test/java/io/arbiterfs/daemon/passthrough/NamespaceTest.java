package io.arbiterfs.daemon.passthrough;

import static io.arbiterfs.daemon.passthrough.FsDriver.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.fuse.internal.dispatch.WireDriver.Dirent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceTest extends PassthroughTestBase {

    @Test
    void symlinkAndReadlink() throws Exception {
        long link = d.symlink(ROOT, "l", "some/where/../far");
        assertEquals(Linux.S_IFLNK, d.entry.attr().mode() & Linux.S_IFMT);
        assertEquals("some/where/../far".length(), d.entry.attr().size());
        assertEquals("some/where/../far", d.readlink(link));
        assertEquals("some/where/../far", Files.readSymbolicLink(src.resolve("l")).toString());
        assertEquals(-Errno.EEXIST, d.symlinkRc(ROOT, "l", "x"));
        Files.writeString(src.resolve("f"), "x");
        assertEquals(-Errno.EINVAL, d.req(io.arbiterfs.fuse.internal.abi.Opcode.READLINK, d.lookup(ROOT, "f")).send());
    }

    @Test
    void hardLinkReturnsTheSameNodeAndCountsALookup() throws Exception {
        Files.writeString(src.resolve("a"), "x");
        long a = d.lookup(ROOT, "a");
        Files.createDirectory(src.resolve("sub"));
        long sub = d.lookup(ROOT, "sub");
        assertEquals(0, d.linkRc(a, sub, "b"));
        assertEquals(a, d.entry.nodeId());
        assertEquals(2, d.entry.attr().nlink());
        assertEquals(2, fs.lookupCount(a));
        assertEquals(ino(src.resolve("a")), ino(src.resolve("sub/b")));
        assertEquals(-Errno.EEXIST, d.linkRc(a, sub, "b"));
        assertEquals(-Errno.EPERM, d.linkRc(sub, ROOT, "dirlink"), "no hard links to directories");
        // an unlinked file cannot get a new name
        assertEquals(0, d.unlink(ROOT, "a"));
        assertEquals(0, d.unlink(sub, "b"));
        assertEquals(-Errno.ENOENT, d.linkRc(a, ROOT, "revived"));
    }

    @Test
    void renamePlainNoreplaceAndExchange() throws Exception {
        Files.writeString(src.resolve("a"), "A");
        Files.writeString(src.resolve("b"), "B");
        Files.createDirectory(src.resolve("d"));
        long dir = d.lookup(ROOT, "d");
        assertEquals(-Errno.EEXIST, d.rename(ROOT, "a", ROOT, "b", Linux.RENAME_NOREPLACE));
        assertEquals("A", Files.readString(src.resolve("a")));
        assertEquals(0, d.rename(ROOT, "a", ROOT, "b", Linux.RENAME_EXCHANGE));
        assertEquals("B", Files.readString(src.resolve("a")));
        assertEquals("A", Files.readString(src.resolve("b")));
        assertEquals(0, d.rename(ROOT, "a", dir, "moved", Linux.RENAME_NOREPLACE));
        assertEquals("B", Files.readString(src.resolve("d/moved")));
        assertFalse(Files.exists(src.resolve("a")));
        assertEquals(0, d.rename(dir, "moved", ROOT, "b", 0), "plain rename replaces");
        assertEquals("B", Files.readString(src.resolve("b")));
        assertEquals(-Errno.ENOENT, d.rename(ROOT, "nothing", ROOT, "x", 0));
        assertEquals(-Errno.ENOENT, d.rename(ROOT, "b", ROOT, "nothing", Linux.RENAME_EXCHANGE));
    }

    @Test
    void mkdirRmdirUnlinkErrors() throws Exception {
        long dir = d.mkdir(ROOT, "d");
        assertTrue(Files.isDirectory(src.resolve("d")));
        assertEquals(Linux.S_IFDIR, d.entry.attr().mode() & Linux.S_IFMT);
        assertEquals(-Errno.EEXIST, d.mkdirRc(ROOT, "d", 0755, 0));
        d.create(dir, "f", Linux.O_RDWR);
        assertEquals(-Errno.ENOTEMPTY, d.rmdir(ROOT, "d"));
        assertEquals(-Errno.EISDIR, d.unlink(ROOT, "d"));
        assertEquals(-Errno.ENOTDIR, d.rmdir(dir, "f"));
        assertEquals(-Errno.ENOENT, d.unlink(ROOT, "missing"));
        assertEquals(-Errno.ENOENT, d.rmdir(ROOT, "missing"));
        assertEquals(-Errno.ENOENT, d.lookupRc(ROOT, "missing"));
        assertEquals(0, d.unlink(dir, "f"));
        assertEquals(0, d.rmdir(ROOT, "d"));
        assertFalse(Files.exists(src.resolve("d")));
        // the node survives its name until forgotten, and then reports the removal
        assertEquals(0, d.getattr(dir).attr().nlink());
    }

    @Test
    void mkdirAndMknodApplyUmaskOnly() throws Exception {
        assertEquals(0, d.mkdirRc(ROOT, "open", 0777, 0));
        assertEquals(0777, mode(src.resolve("open")) & 07777);
        assertEquals(0, d.mkdirRc(ROOT, "masked", 0777, 022));
        assertEquals(0755, mode(src.resolve("masked")) & 07777);
        assertEquals(0, d.mkdirRc(ROOT, "sticky", 01777, 0));
        assertEquals(01777, mode(src.resolve("sticky")) & 07777);
        assertEquals(0, d.mknodRc(ROOT, "fifo", Linux.S_IFIFO | 0666, 0, 002));
        assertEquals(Linux.S_IFIFO | 0664, d.entry.attr().mode());
        assertEquals(Linux.S_IFIFO | 0664, mode(src.resolve("fifo")));
        assertEquals(0, d.mknodRc(ROOT, "reg", Linux.S_IFREG | 0600, 0, 0));
        assertTrue(Files.isRegularFile(src.resolve("reg")));
        // a character device (1:3 = /dev/null), rdev encoded as the kernel sends it
        int rdev = (1 << 8) | 3;
        assertEquals(0, d.mknodRc(ROOT, "null", Linux.S_IFCHR | 0666, rdev, 0));
        assertEquals(rdev, d.entry.attr().rdev());
    }

    @Test
    void tenThousandEntriesListCompletelyWithReaddir() throws Exception {
        Set<String> expected = populate(10_000);
        for (int capacity : new int[] {4096, 512}) {
            List<Dirent> all = d.readdirAll(ROOT, capacity, false);
            Set<String> names = new HashSet<>();
            for (Dirent e : all) {
                assertTrue(names.add(e.name()), "duplicate " + e.name());
                if (!e.name().startsWith(".")) {
                    assertEquals(Linux.DT_REG, e.type());
                    assertEquals(ino(src.resolve(e.name())), e.ino());
                }
            }
            assertTrue(names.containsAll(expected), "all names at capacity " + capacity);
            assertEquals(expected.size() + 2, names.size());
        }
        assertEquals(0, fs.openDirCount());
        assertEquals(1, fs.inodeCount(), "plain READDIR looks nothing up");
    }

    @Test
    void tenThousandEntriesWithReaddirplusCountEachLookupOnce() throws Exception {
        Set<String> expected = populate(10_000);
        List<Dirent> all = d.readdirAll(ROOT, 4096, true);
        Set<String> names = new HashSet<>();
        Set<Long> nodes = new HashSet<>();
        for (Dirent e : all) {
            assertTrue(names.add(e.name()), "duplicate " + e.name());
            if (e.name().equals(".") || e.name().equals("..")) {
                assertEquals(0, e.nodeId(), "dots carry no node");
            } else {
                assertTrue(e.nodeId() > 1);
                assertTrue(nodes.add(e.nodeId()));
                // an entry that did not fit a reply was not counted: exactly one lookup per entry sent
                assertEquals(1, fs.lookupCount(e.nodeId()), e.name());
            }
        }
        assertTrue(names.containsAll(expected));
        assertEquals(expected.size() + 1, fs.inodeCount());
        for (long node : nodes) {
            d.forget(node, 1);
        }
        assertEquals(1, fs.inodeCount());
    }

    @Test
    void readdirResumesFromAnyOffset() throws Exception {
        populate(300);
        List<Dirent> all = d.readdirAll(ROOT, 65536, false);
        long fh = d.opendir(ROOT);
        Dirent middle = all.get(150);
        List<Dirent> rest = d.readdirOnce(ROOT, fh, middle.nextOffset(), 65536, false);
        assertEquals(all.subList(151, all.size()), rest);
        // back to the start on the same handle
        List<Dirent> again = d.readdirOnce(ROOT, fh, 0, 65536, false);
        assertEquals(all, again);
        assertEquals(-Errno.EINVAL, d.readdirRc(ROOT, fh, 0, 16, false),
                "a reply too small for one entry is an error, not end-of-directory");
        assertEquals(0, d.fsyncdir(ROOT, fh, 0));
        assertEquals(0, d.releasedir(ROOT, fh));
        assertEquals(-Errno.EBADF, d.releasedir(ROOT, fh));
    }


    private Set<String> populate(int count) throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String n = "entry-with-a-longish-name-" + i;
            Files.createFile(src.resolve(n));
            names.add(n);
        }
        return names;
    }

    @Test
    void xattrsSetGetListRemove() throws Exception {
        Files.writeString(src.resolve("f"), "x");
        long node = d.lookup(ROOT, "f");
        assertEquals(0, d.setxattr(node, "user.color", "blue!".getBytes(), 0));
        assertEquals(-Errno.EEXIST, d.setxattr(node, "user.color", "red".getBytes(), Linux.XATTR_CREATE));
        assertEquals(-Errno.ENODATA, d.setxattr(node, "user.other", "1".getBytes(), Linux.XATTR_REPLACE));
        assertEquals(5, d.getxattr(node, "user.color", 0), "size probe");
        assertEquals(-Errno.ERANGE, d.getxattr(node, "user.color", 2));
        assertEquals(5, d.getxattr(node, "user.color", 256));
        assertEquals("blue!", new String(d.replyBytes()));
        assertEquals("user.color\0".length(), d.listxattr(node, 0));
        assertEquals(-Errno.ERANGE, d.listxattr(node, 3));
        assertEquals("user.color\0".length(), d.listxattr(node, 256));
        assertEquals("user.color\0", new String(d.replyBytes()));
        assertEquals(0, d.removexattr(node, "user.color"));
        assertEquals(-Errno.ENODATA, d.getxattr(node, "user.color", 0));
        assertEquals(-Errno.ENODATA, d.removexattr(node, "user.color"));
        long dir = d.mkdir(ROOT, "dir");
        assertEquals(0, d.setxattr(dir, "user.d", new byte[0], 0));
        assertEquals(0, d.getxattr(dir, "user.d", 0));
        assertEquals("x", Files.readString(src.resolve("f")));
    }

    @Test
    void statfsAccessAndSyncfs() throws Exception {
        var st = d.statfs(ROOT);
        var store = Files.getFileStore(src);
        assertTrue(st.bsize() > 0 && st.frsize() > 0);
        assertEquals(store.getTotalSpace(), st.blocks() * st.frsize());
        assertTrue(st.bfree() >= st.bavail());
        assertTrue(st.files() > 0);
        assertEquals(255, st.namelen());
        long blocks = st.blocks();
        Files.writeString(src.resolve("f"), "x");
        long node = d.lookup(ROOT, "f");
        assertEquals(blocks, d.statfs(node).blocks());
        assertEquals(0, d.access(node, 4 /* R_OK */));
        assertEquals(0, d.access(node, 0 /* F_OK */));
        assertEquals(0, d.syncfs(ROOT));
    }

    @Test
    void removedEntriesVanishFromTheSource() throws Exception {
        long fh = d.create(ROOT, "tmp", Linux.O_RDWR);
        long node = d.entry.nodeId();
        assertEquals(0, d.unlink(ROOT, "tmp"));
        assertFalse(Files.exists(src.resolve("tmp")));
        // open-unlinked file keeps working through its fh
        assertEquals(3, d.write(node, fh, 0, "abc".getBytes()));
        assertEquals("abc", new String(d.read(node, fh, 0, 3)));
        assertTrue(fs.path(node).isEmpty(), "no path once unlinked");
        Path anywhere = src.getParent();
        assertTrue(Files.exists(anywhere));
    }
}
