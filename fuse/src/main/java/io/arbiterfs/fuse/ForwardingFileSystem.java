package io.arbiterfs.fuse;

import java.util.Objects;

/**
 * A file system that passes every request to another one: the base of decorators. Override the methods whose
 * behaviour you change and call {@code super} (or {@link #delegate()}) to pass the request on. Every method
 * behaves exactly as the delegate's, with the threading, blocking and view rules of {@link FileSystem}.
 *
 * @param <F> the delegate's open-file handle type
 * @param <D> the delegate's open-directory handle type
 */
public class ForwardingFileSystem<F, D> implements FileSystem<F, D> {
    private final FileSystem<F, D> delegate;

    /** A decorator of {@code delegate}. */
    public ForwardingFileSystem(FileSystem<F, D> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The file system this one passes requests to. */
    protected FileSystem<F, D> delegate() {
        return delegate;
    }

    @Override
    public void init(Connection connection) {
        delegate.init(connection);
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public int lookup(Request req, long parent, Name name, Entry out) {
        return delegate.lookup(req, parent, name, out);
    }

    @Override
    public void forget(long node, long lookups) {
        delegate.forget(node, lookups);
    }

    @Override
    public int getattr(Request req, long node, F file, AttributeReply out) {
        return delegate.getattr(req, node, file, out);
    }

    @Override
    public int setattr(Request req, long node, F file, SetAttributes changes, AttributeReply out) {
        return delegate.setattr(req, node, file, changes, out);
    }

    @Override
    public int readlink(Request req, long node, ReplyBuffer out) {
        return delegate.readlink(req, node, out);
    }

    @Override
    public int symlink(Request req, long parent, Name name, Name target, Entry out) {
        return delegate.symlink(req, parent, name, target, out);
    }

    @Override
    public int mknod(Request req, long parent, Name name, int mode, int umask, int rdev, Entry out) {
        return delegate.mknod(req, parent, name, mode, umask, rdev, out);
    }

    @Override
    public int mkdir(Request req, long parent, Name name, int mode, int umask, Entry out) {
        return delegate.mkdir(req, parent, name, mode, umask, out);
    }

    @Override
    public int unlink(Request req, long parent, Name name) {
        return delegate.unlink(req, parent, name);
    }

    @Override
    public int rmdir(Request req, long parent, Name name) {
        return delegate.rmdir(req, parent, name);
    }

    @Override
    public int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) {
        return delegate.rename(req, parent, name, newParent, newName, flags);
    }

    @Override
    public int link(Request req, long node, long newParent, Name newName, Entry out) {
        return delegate.link(req, node, newParent, newName, out);
    }

    @Override
    public int open(Request req, long node, OpenArgs args, OpenReply<F> out) {
        return delegate.open(req, node, args, out);
    }

    @Override
    public int create(Request req, long parent, Name name, CreateArgs args, Entry entry, OpenReply<F> open) {
        return delegate.create(req, parent, name, args, entry, open);
    }

    @Override
    public int tmpfile(Request req, long parent, CreateArgs args, Entry entry, OpenReply<F> open) {
        return delegate.tmpfile(req, parent, args, entry, open);
    }

    @Override
    public int read(Request req, long node, F file, long offset, int size, ReplyBuffer out) {
        return delegate.read(req, node, file, offset, size, out);
    }

    @Override
    public int write(Request req, long node, F file, WriteArgs args, DataView data) {
        return delegate.write(req, node, file, args, data);
    }

    @Override
    public int flush(Request req, long node, F file, long lockOwner) {
        return delegate.flush(req, node, file, lockOwner);
    }

    @Override
    public int release(Request req, long node, F file, int flags) {
        return delegate.release(req, node, file, flags);
    }

    @Override
    public int fsync(Request req, long node, F file, boolean dataOnly) {
        return delegate.fsync(req, node, file, dataOnly);
    }

    @Override
    public int fallocate(Request req, long node, F file, int mode, long offset, long length) {
        return delegate.fallocate(req, node, file, mode, offset, length);
    }

    @Override
    public long lseek(Request req, long node, F file, long offset, int whence) {
        return delegate.lseek(req, node, file, offset, whence);
    }

    @Override
    public long copyFileRange(Request req, long nodeIn, F in, long offsetIn, long nodeOut, F out, long offsetOut, long length, int flags) {
        return delegate.copyFileRange(req, nodeIn, in, offsetIn, nodeOut, out, offsetOut, length, flags);
    }

    @Override
    public int getlk(Request req, long node, F file, LockArgs lock, LockReply out) {
        return delegate.getlk(req, node, file, lock, out);
    }

    @Override
    public int setlk(Request req, long node, F file, LockArgs lock, boolean wait) {
        return delegate.setlk(req, node, file, lock, wait);
    }

    @Override
    public int opendir(Request req, long node, OpenArgs args, OpenReply<D> out) {
        return delegate.opendir(req, node, args, out);
    }

    @Override
    public int readdir(Request req, long node, D dir, long offset, DirectoryListing out) {
        return delegate.readdir(req, node, dir, offset, out);
    }

    @Override
    public int releasedir(Request req, long node, D dir) {
        return delegate.releasedir(req, node, dir);
    }

    @Override
    public int fsyncdir(Request req, long node, D dir, boolean dataOnly) {
        return delegate.fsyncdir(req, node, dir, dataOnly);
    }

    @Override
    public int statfs(Request req, long node, FsStats out) {
        return delegate.statfs(req, node, out);
    }

    @Override
    public int access(Request req, long node, int mask) {
        return delegate.access(req, node, mask);
    }

    @Override
    public int setxattr(Request req, long node, Name name, DataView value, int flags) {
        return delegate.setxattr(req, node, name, value, flags);
    }

    @Override
    public int getxattr(Request req, long node, Name name, int size, ReplyBuffer out) {
        return delegate.getxattr(req, node, name, size, out);
    }

    @Override
    public int listxattr(Request req, long node, int size, ReplyBuffer out) {
        return delegate.listxattr(req, node, size, out);
    }

    @Override
    public int removexattr(Request req, long node, Name name) {
        return delegate.removexattr(req, node, name);
    }

    @Override
    public int syncfs(Request req, long node) {
        return delegate.syncfs(req, node);
    }
}
