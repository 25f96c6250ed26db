package io.arbiterfs.jnrfuse.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.ForwardingFileSystem;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.dispatch.WireDriver;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import io.arbiterfs.jnrfuse.Captures;
import io.arbiterfs.jnrfuse.JnrFuseOptions;
import io.arbiterfs.jnrfuse.LibFuse2Abi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.examples.HelloFuse;
import ru.serce.jnrfuse.examples.MemoryFS;

/**
 * The bridge driven through the engine's real dispatch table, request by request as the kernel would send them
 * ({@link WireDriver}), without a mount: node table, hiding, both readdir modes, the context, fuse_file_info,
 * errno clamping, libfuse 2's answers for missing operations, zero-copy READ/WRITE and the path locking.
 */
class BridgeWireTest {
    private static final int UID = 1234, GID = 5678;

    /** The bridge over {@code fs} with {@code options}, behind a recorder of the engine buffers' addresses. */
    private static final class Rig {
        final JnrFuseBridge bridge;
        final WireDriver d;
        volatile long writeDataAddress;
        volatile long readReplyAddress;

        Rig(AbstractFuseFS fs, String... options) throws Exception {
            bridge = new JnrFuseBridge(Captures.of(fs, options), JnrFuseOptions.parse(List.of(options)).bridge());
            ForwardingFileSystem<OpenFile, OpenDir> recorder = new ForwardingFileSystem<>(bridge) {
                @Override
                public int write(Request req, long node, OpenFile file, WriteArgs args, DataView data) {
                    writeDataAddress = data.address();
                    return super.write(req, node, file, args, data);
                }

                @Override
                public int read(Request req, long node, OpenFile file, long offset, int size, ReplyBuffer out) {
                    readReplyAddress = out.address();
                    return super.read(req, node, file, offset, size, out);
                }
            };
            d = new WireDriver(recorder, TestConnection.of(Feature.ASYNC_READ, Feature.BIG_WRITES));
            d.uid = UID;
            d.gid = GID;
        }
    }

    private static List<String> names(List<WireDriver.Dirent> entries) {
        return entries.stream().map(WireDriver.Dirent::name).collect(Collectors.toList());
    }

    // ---- MemoryFS, jnr-fuse's own example ----------------------------------------------------------------------

    @Test
    void memoryFsNamesFilesAndDataThroughTheNodeTable() throws Exception {
        Rig r = new Rig(new MemoryFS());
        long sample = r.d.lookup(WireDriver.ROOT, "Sample file.txt");
        assertEquals(2, sample, "node ids count from 2, as libfuse 2's next_id");
        assertEquals(sample, r.d.entry.attributes().ino(), "st_ino is the node id without use_ino");
        assertEquals(Linux.S_IFREG | 0777, r.d.entry.attributes().mode());
        assertEquals(UID, r.d.entry.attributes().uid(), "MemoryFS reports getContext().uid: the caller's");
        long fh = r.d.open(sample, Linux.O_RDONLY);
        assertEquals("Hello there, feel free to look around.\n",
                new String(r.d.read(sample, fh, 0, 4096), StandardCharsets.UTF_8));
        assertEquals(0, r.d.release(sample, fh));

        long dir = r.d.lookup(WireDriver.ROOT, "Directory with files");
        long created = r.d.create(dir, "new.txt", Linux.O_RDWR);
        long node = r.d.entry.nodeId();
        assertEquals(5, r.d.write(node, created, 0, "hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("hello", new String(r.d.read(node, created, 0, 100), StandardCharsets.UTF_8));
        assertEquals(5, r.d.getattr(node).attr().size());
        assertEquals(0, r.d.release(node, created));
        assertEquals(List.of(".", "..", "hello.txt", "hello again.txt", "Sample nested directory", "new.txt"),
                names(r.d.readdirAll(dir, 4096, false)));
    }

    @Test
    void offsetFreeListingsAreServedByPositionAcrossSmallReplies() throws Exception {
        Rig r = new Rig(new MemoryFS());
        // 80 bytes take two or three entries: the listing needs several READDIRs, each from the last cookie
        List<WireDriver.Dirent> all = r.d.readdirAll(WireDriver.ROOT, 80, false);
        assertEquals(List.of(".", "..", "Sample file.txt", "Sample directory", "Directory with files"), names(all));
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).nextOffset(), "cookie = position + 1");
            assertEquals(LibFuse2Abi.UNKNOWN_INO, all.get(i).ino(), "FUSE_UNKNOWN_INO without use_ino");
        }
    }

    @Test
    void renameMovesTheNodeAndItsPath() throws Exception {
        Rig r = new Rig(new MemoryFS());
        long file = r.d.lookup(WireDriver.ROOT, "Sample file.txt");
        long dir = r.d.lookup(WireDriver.ROOT, "Sample directory");
        assertEquals(0, r.d.rename(WireDriver.ROOT, "Sample file.txt", dir, "moved.txt", 0));
        assertEquals(39, r.d.getattr(file).attr().size(), "the same node answers under its new path");
        assertEquals(file, r.d.lookup(dir, "moved.txt"), "and the new name leads to the same node");
        assertEquals(-Errno.ENOENT, r.d.lookupRc(WireDriver.ROOT, "Sample file.txt"));
        assertEquals(-Errno.EINVAL, r.d.rename(dir, "moved.txt", dir, "x", Linux.RENAME_NOREPLACE),
                "renameat2 flags have no libfuse 2 equivalent");
    }

    @Test
    void unlinkOfAnOpenFileHidesItUntilItsLastRelease() throws Exception {
        Rig r = new Rig(new MemoryFS());
        long fh = r.d.create(WireDriver.ROOT, "open.txt", Linux.O_RDWR);
        long node = r.d.entry.nodeId();
        r.d.write(node, fh, 0, "still here".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.d.unlink(WireDriver.ROOT, "open.txt"));
        List<String> listed = names(r.d.readdirAll(WireDriver.ROOT, 4096, false));
        assertFalse(listed.contains("open.txt"));
        String hidden = listed.stream().filter(n -> n.startsWith(".fuse_hidden")).findFirst().orElseThrow(
                () -> new AssertionError("no hidden name in " + listed));
        assertEquals(String.format(".fuse_hidden%08x%08x", node, 1), hidden);
        assertEquals("still here", new String(r.d.read(node, fh, 0, 100), StandardCharsets.UTF_8),
                "IO on the unlinked open file goes on through the hidden name");
        assertEquals(0, r.d.release(node, fh));
        assertTrue(names(r.d.readdirAll(WireDriver.ROOT, 4096, false)).stream().noneMatch(n -> n.startsWith(".fuse_hidden")),
                "the last release unlinks the hidden file");
    }

    @Test
    void renameOverAnOpenFileHidesTheTarget() throws Exception {
        Rig r = new Rig(new MemoryFS());
        long fh = r.d.create(WireDriver.ROOT, "target", Linux.O_RDWR);
        long target = r.d.entry.nodeId();
        r.d.write(target, fh, 0, "old".getBytes(StandardCharsets.UTF_8));
        long src = r.d.create(WireDriver.ROOT, "source", Linux.O_RDWR);
        long source = r.d.entry.nodeId();
        r.d.release(source, src);
        assertEquals(0, r.d.rename(WireDriver.ROOT, "source", WireDriver.ROOT, "target", 0));
        assertEquals(source, r.d.lookup(WireDriver.ROOT, "target"));
        assertEquals("old", new String(r.d.read(target, fh, 0, 10), StandardCharsets.UTF_8),
                "the replaced open file lives on, hidden");
        r.d.release(target, fh);
    }

    @Test
    void hardRemoveUnlinksAtOnceAndLaterIoFailsAsOnLibfuse2() throws Exception {
        Rig r = new Rig(new MemoryFS(), "hard_remove");
        long fh = r.d.create(WireDriver.ROOT, "gone.txt", Linux.O_RDWR);
        long node = r.d.entry.nodeId();
        assertEquals(0, r.d.unlink(WireDriver.ROOT, "gone.txt"));
        assertTrue(names(r.d.readdirAll(WireDriver.ROOT, 4096, false)).stream().noneMatch(n -> n.startsWith(".fuse_hidden")));
        assertEquals(-Errno.ENOENT, r.d.readRc(node, fh, 0, 10), "the node has no path any more");
        assertEquals(0, r.d.release(node, fh));
    }

    @Test
    void lookupsAreCountedAndForgetDropsTheNodeAtZero() throws Exception {
        Rig r = new Rig(new MemoryFS());
        long node = r.d.lookup(WireDriver.ROOT, "Sample directory");
        assertEquals(node, r.d.lookup(WireDriver.ROOT, "Sample directory"));
        assertEquals(2, r.bridge.knownNodes());
        r.d.forget(node, 1);
        assertTrue(r.bridge.facts().known(node));
        r.d.forget(node, 1);
        assertFalse(r.bridge.facts().known(node));
        assertEquals(1, r.bridge.knownNodes(), "only the root is left");
        assertNotEquals(node, r.d.lookup(WireDriver.ROOT, "Sample directory"), "a forgotten node's id is not reused at once");
    }

    @Test
    void helloFuseWithoutOpendirOrReleaseStillOpensAndLists() throws Exception {
        Rig r = new Rig(new HelloFuse());
        long dir = r.d.opendir(WireDriver.ROOT);
        assertEquals(0, r.d.releasedir(WireDriver.ROOT, dir), "missing opendir/releasedir answer success, as libfuse's");
        long hello = r.d.lookup(WireDriver.ROOT, "hello");
        long fh = r.d.open(hello, Linux.O_RDONLY);
        assertEquals("Hello World!", new String(r.d.read(hello, fh, 0, 100), StandardCharsets.UTF_8));
        assertEquals(0, r.d.release(hello, fh), "missing release answers success");
        assertEquals(512, r.d.statfs(WireDriver.ROOT).bsize(), "missing statfs: libfuse 2's f_bsize 512");
        assertEquals(255, r.d.statfs(WireDriver.ROOT).namelen());
        assertEquals(-Errno.EOPNOTSUPP, r.d.getxattr(hello, "user.x", 0),
                "missing xattr operations answer EOPNOTSUPP, so the kernel keeps sending them (status xattrs)");
        assertEquals(-Errno.ENOSYS, r.d.mkdirRc(WireDriver.ROOT, "d", 0755, 0));
    }

    // ---- the recording file system -----------------------------------------------------------------------------

    @Test
    void initGetsTheConnectionAndItsResultIsEveryRequestsPrivateData() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        assertEquals(45, fs.initConnMinor);
        assertEquals(LibFuse2Abi.CAP_ASYNC_READ | LibFuse2Abi.CAP_BIG_WRITES, fs.initConnWant);
        assertEquals(fs.privateData.address(), r.bridge.privateData().address());
        r.d.lookup(WireDriver.ROOT, "file");
        assertEquals(fs.privateData.address(), fs.contexts.get("getattr")[4]);
    }

    @Test
    void theContextComesFromTheRequestAndCarriesTheUmaskOfCreatingRequests() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        r.d.pid = 999;
        r.d.lookup(WireDriver.ROOT, "file");
        assertArrayEquals(new long[] {UID, GID, 999, 0}, java.util.Arrays.copyOf(fs.contexts.get("getattr"), 4));
        r.d.mkdirRc(WireDriver.ROOT, "made", 0755, 022);
        assertArrayEquals(new long[] {UID, GID, 999, 022}, java.util.Arrays.copyOf(fs.contexts.get("mkdir"), 4));
    }

    @Test
    void fileInfoCarriesFlagsHandleWritepageAndTheDirectIoBitGoesIntoTheReply() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        long file = r.d.lookup(WireDriver.ROOT, "file");
        long fh = r.d.open(file, Linux.O_RDWR | Linux.O_APPEND);
        assertEquals(0, r.d.open.openFlags() & FuseConst.FOPEN_DIRECT_IO);
        r.d.writeRc(file, fh, 0, new byte[10], FuseConst.WRITE_CACHE);
        assertArrayEquals(new long[] {Linux.O_RDWR | Linux.O_APPEND, RecordingFs.OPEN_FH, 1, 0}, fs.fileInfos.get("write"),
                "flags, the fh open set, writepage for a writeback WRITE");
        r.d.readRc(file, fh, 0, 10);
        assertArrayEquals(new long[] {Linux.O_RDWR | Linux.O_APPEND, RecordingFs.OPEN_FH, 0, 0}, fs.fileInfos.get("read"));
        r.d.release(file, fh);
        assertEquals(RecordingFs.OPEN_FH, fs.fileInfos.get("release")[1]);

        long direct = r.d.lookup(WireDriver.ROOT, "direct");
        long dfh = r.d.open(direct, Linux.O_RDONLY);
        assertEquals(FuseConst.FOPEN_DIRECT_IO, r.d.open.openFlags() & FuseConst.FOPEN_DIRECT_IO,
                "direct_io set through fuse_file_info's bit-field word");
        r.d.release(direct, dfh);
    }

    @Test
    void readAndWriteUseTheEngineBuffersThemselves() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        long file = r.d.lookup(WireDriver.ROOT, "file");
        long fh = r.d.open(file, Linux.O_RDWR);
        r.d.write(file, fh, 0, new byte[4096]);
        assertEquals(r.writeDataAddress, fs.lastWriteAddress, "write() got a pointer onto the request buffer");
        byte[] data = r.d.read(file, fh, 0, 4096);
        assertEquals(r.readReplyAddress, fs.lastReadAddress, "read() got a pointer onto the reply buffer");
        assertEquals('x', data[4095]);
    }

    @Test
    void resultsTheKernelWouldRefuseAreClampedAsLibfuseDoes() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        assertEquals(-Errno.ERANGE, r.d.lookupRc(WireDriver.ROOT, "bad"), "an errno of -1000");
        fs.mkdirResult = 5;
        assertEquals(-Errno.ERANGE, r.d.mkdirRc(WireDriver.ROOT, "five", 0755, 0), "a positive status");
        long file = r.d.lookup(WireDriver.ROOT, "file");
        long fh = r.d.open(file, Linux.O_RDWR);
        fs.writeResult = 20;
        assertEquals(-Errno.EIO, r.d.writeRc(file, fh, 0, new byte[10], 0), "a write of more than it was given");
        fs.writeResult = -600;
        assertEquals(-Errno.ERANGE, r.d.writeRc(file, fh, 0, new byte[10], 0));
        fs.readResult = 50;
        assertEquals(10, r.d.readRc(file, fh, 0, 10), "a read of more than asked is cut to what was asked");
    }

    @Test
    void setattrCallsChmodChownTruncateUtimensInLibfuseOrderAndDropsALoneTime() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        long file = r.d.lookup(WireDriver.ROOT, "file");
        fs.calls.clear();
        int all = FuseConst.FATTR_MODE | FuseConst.FATTR_SIZE | FuseConst.FATTR_ATIME | FuseConst.FATTR_MTIME;
        assertEquals(0, r.d.setattr(file, all, 0, 42, Linux.S_IFREG | 0600, 1000, 5, 2000, 6));
        assertEquals(List.of("chmod 100600", "truncate 42", "utimens 1000.5 2000.6", "getattr /file"), List.copyOf(fs.calls));
        fs.calls.clear();
        assertEquals(0, r.d.setOwner(file, FuseConst.FATTR_UID, 7, 0));
        assertEquals(List.of("chown 7 4294967295", "getattr /file"), List.copyOf(fs.calls), "(uid_t) -1 for the id not given");
        fs.calls.clear();
        assertEquals(0, r.d.setattr(file, FuseConst.FATTR_MTIME | FuseConst.FATTR_MTIME_NOW, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(List.of("getattr /file"), List.copyOf(fs.calls), "a lone mtime: libfuse 2 without utime_omit_ok drops it");
    }

    @Test
    void listingsWithOffsetsPassTheFileSystemsCookiesAndStopWhenTheReplyIsFull() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        long dir = r.d.lookup(WireDriver.ROOT, "listing");
        List<WireDriver.Dirent> all = r.d.readdirAll(dir, 256, false);
        assertEquals(RecordingFs.LISTING, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals("entry-" + i, all.get(i).name());
            assertEquals(i + 1, all.get(i).nextOffset());
        }
        assertTrue(fs.readdirOffsets.size() > 5, "many requests, each resuming: " + fs.readdirOffsets);
        assertEquals(0L, fs.readdirOffsets.get(0));
        assertTrue(fs.readdirOffsets.stream().distinct().count() == fs.readdirOffsets.size(), "no offset asked twice");

        long mixed = r.d.lookup(WireDriver.ROOT, "mixed");
        long mfh = r.d.opendir(mixed);
        assertEquals(-Errno.EIO, r.d.readdirRc(mixed, mfh, 0, 4096, false), "entries with and without offsets in one call");
    }

    @Test
    void aRenameWaitsForTheWriteThatHoldsThePathAndNewCallsWaitForTheRename() throws Exception {
        RecordingFs fs = new RecordingFs();
        Rig r = new Rig(fs);
        long file = r.d.lookup(WireDriver.ROOT, "blocking");
        long fh = r.d.open(file, Linux.O_RDWR);
        CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> r.d.writeRc(file, fh, 0, new byte[8], 0));
        assertTrue(fs.writeEntered.await(10, TimeUnit.SECONDS));
        WireDriver other = r.d.another();
        CompletableFuture<Integer> rename = CompletableFuture.supplyAsync(
                () -> other.rename(WireDriver.ROOT, "blocking", WireDriver.ROOT, "moved", 0));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !rename.isDone());
        assertFalse(fs.calls.stream().anyMatch(c -> c.startsWith("rename")), "the file system is not renamed under the write");
        fs.releaseWrites.countDown();
        assertEquals(8, write.get(10, TimeUnit.SECONDS));
        assertEquals(0, rename.get(10, TimeUnit.SECONDS));
        assertTrue(fs.calls.contains("rename /blocking /moved"));
        r.d.readRc(file, fh, 0, 10);
        assertTrue(fs.calls.contains("read /moved"), "after the rename the node's path is the new one");
    }
}
