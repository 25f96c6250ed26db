package io.arbiterfs.fuse;

import java.util.Objects;

/**
 * A decorator that keeps state of its own per open file: it hands the engine its own handle objects ({@code W}), each
 * wrapping the delegate's ({@code F}). Every request is passed on with the delegate's handle, found by
 * {@link #unwrap}; {@link #open}, {@link #create}, {@link #tmpfile} and {@link #release} are where wrappers are made and
 * dropped, so a subclass implements those (use {@link Capture} to see what the delegate answered). Directory handles
 * pass through unchanged. Behaviour, threading and views are as in {@link FileSystem}.
 *
 * @param <W> this decorator's open-file handle type
 * @param <F> the delegate's open-file handle type
 * @param <D> the open-directory handle type (the delegate's)
 */
public abstract class HandleWrappingFileSystem<W, F, D> implements FileSystem<W, D> {
    /** The file system this one passes requests to. */
    protected final FileSystem<F, D> delegate;

    protected HandleWrappingFileSystem(FileSystem<F, D> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The delegate's handle inside {@code handle}; {@code handle} may be null (the request named none). */
    protected abstract F unwrap(W handle);

    @Override
    public abstract int open(Request req, long node, OpenArgs args, OpenReply<W> out);

    @Override
    public abstract int create(Request req, long parent, Name name, CreateArgs args, Entry entry, OpenReply<W> open);

    @Override
    public abstract int release(Request req, long node, W file, int flags);

    /** Unless overridden, O_TMPFILE is not supported. */
    @Override
    public int tmpfile(Request req, long parent, CreateArgs args, Entry entry, OpenReply<W> open) {
        return ENOSYS;
    }

    /**
     * What the delegate answered to an open: its handle and every reply flag, to be passed on (with
     * {@link #copyTo}) or changed. One per open; not thread-safe.
     *
     * @param <H> the delegate's handle type
     */
    public static final class Capture<H> implements OpenReply<H> {
        private H handle;
        private boolean directIo;
        private boolean parallel;
        private boolean keepCache;
        private boolean nonSeekable;
        private boolean cacheDir;
        private int backingId;

        /** Copies every flag (not the handle) to {@code out}. */
        public <X> OpenReply<X> copyTo(OpenReply<X> out) {
            return out.directIo(directIo).parallelDirectWrites(parallel).keepCache(keepCache).nonSeekable(nonSeekable)
                    .cacheDir(cacheDir).passthrough(backingId);
        }

        @Override
        public Capture<H> handle(H h) {
            handle = h;
            return this;
        }

        @Override
        public H handle() {
            return handle;
        }

        @Override
        public Capture<H> directIo(boolean on) {
            directIo = on;
            return this;
        }

        @Override
        public boolean directIo() {
            return directIo;
        }

        @Override
        public Capture<H> parallelDirectWrites(boolean on) {
            parallel = on;
            return this;
        }

        @Override
        public boolean parallelDirectWrites() {
            return parallel;
        }

        @Override
        public Capture<H> keepCache(boolean on) {
            keepCache = on;
            return this;
        }

        @Override
        public boolean keepCache() {
            return keepCache;
        }

        @Override
        public Capture<H> nonSeekable(boolean on) {
            nonSeekable = on;
            return this;
        }

        @Override
        public boolean nonSeekable() {
            return nonSeekable;
        }

        @Override
        public Capture<H> cacheDir(boolean on) {
            cacheDir = on;
            return this;
        }

        @Override
        public boolean cacheDir() {
            return cacheDir;
        }

        @Override
        public Capture<H> passthrough(int id) {
            backingId = id;
            return this;
        }

        @Override
        public int backingId() {
            return backingId;
        }
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
    public int getattr(Request req, long node, W file, AttributeReply out) {
        return delegate.getattr(req, node, unwrap(file), out);
    }

    @Override
    public int setattr(Request req, long node, W file, SetAttributes changes, AttributeReply out) {
        return delegate.setattr(req, node, unwrap(file), changes, out);
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
    public int read(Request req, long node, W file, long offset, int size, ReplyBuffer out) {
        return delegate.read(req, node, unwrap(file), offset, size, out);
    }

    @Override
    public int write(Request req, long node, W file, WriteArgs args, DataView data) {
        return delegate.write(req, node, unwrap(file), args, data);
    }

    @Override
    public int flush(Request req, long node, W file, long lockOwner) {
        return delegate.flush(req, node, unwrap(file), lockOwner);
    }

    @Override
    public int fsync(Request req, long node, W file, boolean dataOnly) {
        return delegate.fsync(req, node, unwrap(file), dataOnly);
    }

    @Override
    public int fallocate(Request req, long node, W file, int mode, long offset, long length) {
        return delegate.fallocate(req, node, unwrap(file), mode, offset, length);
    }

    @Override
    public long lseek(Request req, long node, W file, long offset, int whence) {
        return delegate.lseek(req, node, unwrap(file), offset, whence);
    }

    @Override
    public long copyFileRange(Request req, long nodeIn, W in, long offsetIn, long nodeOut, W out, long offsetOut, long length, int flags) {
        return delegate.copyFileRange(req, nodeIn, unwrap(in), offsetIn, nodeOut, unwrap(out), offsetOut, length, flags);
    }

    @Override
    public int getlk(Request req, long node, W file, LockArgs lock, LockReply out) {
        return delegate.getlk(req, node, unwrap(file), lock, out);
    }

    @Override
    public int setlk(Request req, long node, W file, LockArgs lock, boolean wait) {
        return delegate.setlk(req, node, unwrap(file), lock, wait);
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
