package io.arbiterfs.examples;

import io.arbiterfs.fuse.AttributeReply;
import io.arbiterfs.fuse.Attributes;
import io.arbiterfs.fuse.DirectoryListing;
import io.arbiterfs.fuse.Entry;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.OpenArgs;
import io.arbiterfs.fuse.OpenReply;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.platform.Errno;
import io.arbiterfs.fuse.platform.Linux;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The smallest useful file system: a read-only root directory holding one file, {@value #NAME}, whose content is
 * {@link #CONTENT}. No handles, no state: every method answers from constants.
 */
public final class HelloFs implements FileSystem<Void, Void> {
    public static final String NAME = "hello";
    public static final byte[] CONTENT = "Hello, world!\n".getBytes(StandardCharsets.UTF_8);
    private static final long HELLO = 2;
    private static final Duration CACHE = Duration.ofSeconds(10);
    private static final long BOOT_SECONDS = System.currentTimeMillis() / 1000;

    private static void fill(long node, Attributes a) {
        a.ino(node).atime(BOOT_SECONDS, 0).mtime(BOOT_SECONDS, 0).ctime(BOOT_SECONDS, 0);
        if (node == ROOT) {
            a.mode(Linux.S_IFDIR | 0555).nlink(2);
        } else {
            a.mode(Linux.S_IFREG | 0444).nlink(1).size(CONTENT.length).blocks(1);
        }
    }

    @Override
    public int lookup(Request req, long parent, Name name, Entry out) {
        if (parent != ROOT || !name.is(NAME)) {
            return -Errno.ENOENT;
        }
        out.node(HELLO).entryValidFor(CACHE).attributesValidFor(CACHE);
        fill(HELLO, out.attributes());
        return 0;
    }

    @Override
    public int getattr(Request req, long node, Void file, AttributeReply out) {
        if (node != ROOT && node != HELLO) {
            return -Errno.ENOENT;
        }
        fill(node, out.validFor(CACHE).attributes());
        return 0;
    }

    @Override
    public int open(Request req, long node, OpenArgs args, OpenReply<Void> out) {
        if (node != HELLO) {
            return -Errno.EISDIR;
        }
        return (args.flags() & Linux.O_ACCMODE) == Linux.O_RDONLY ? 0 : -Errno.EACCES;
    }

    @Override
    public int read(Request req, long node, Void file, long offset, int size, ReplyBuffer out) {
        if (offset >= CONTENT.length) {
            return 0;
        }
        int n = (int) Math.min(Math.min(size, out.capacity()), CONTENT.length - offset);
        out.put(0, CONTENT, (int) offset, n);
        return n;
    }

    @Override
    public int opendir(Request req, long node, OpenArgs args, OpenReply<Void> out) {
        return node == ROOT ? 0 : -Errno.ENOTDIR;
    }

    @Override
    public int readdir(Request req, long node, Void dir, long offset, DirectoryListing out) {
        String[] names = {".", "..", NAME};
        long[] inos = {ROOT, ROOT, HELLO};
        for (int i = (int) offset; i < names.length; i++) {
            if (!out.add(inos[i], i + 1, i < 2 ? Linux.DT_DIR : Linux.DT_REG, names[i])) {
                break;
            }
        }
        return 0;
    }
}
