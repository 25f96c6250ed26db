package io.arbiterfs.harness.selftest;

import io.arbiterfs.fuse.DirentSink;
import io.arbiterfs.fuse.FuseConnection;
import io.arbiterfs.fuse.FuseFileSystem;
import io.arbiterfs.fuse.Name;
import io.arbiterfs.fuse.Payload;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.AttrOut;
import io.arbiterfs.fuse.internal.abi.CopyFileRangeIn;
import io.arbiterfs.fuse.internal.abi.CreateIn;
import io.arbiterfs.fuse.internal.abi.EntryOut;
import io.arbiterfs.fuse.internal.abi.FallocateIn;
import io.arbiterfs.fuse.internal.abi.FlushIn;
import io.arbiterfs.fuse.internal.abi.FsyncIn;
import io.arbiterfs.fuse.internal.abi.GetattrIn;
import io.arbiterfs.fuse.internal.abi.LkIn;
import io.arbiterfs.fuse.internal.abi.LkOut;
import io.arbiterfs.fuse.internal.abi.LseekIn;
import io.arbiterfs.fuse.internal.abi.MkdirIn;
import io.arbiterfs.fuse.internal.abi.MknodIn;
import io.arbiterfs.fuse.internal.abi.OpenIn;
import io.arbiterfs.fuse.internal.abi.OpenOut;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.ReleaseIn;
import io.arbiterfs.fuse.internal.abi.SetattrIn;
import io.arbiterfs.fuse.internal.abi.StatfsOut;
import io.arbiterfs.fuse.internal.abi.WriteIn;

/** Forwards every request to another file system; subclasses override what they want to change. */
public class DelegatingFs implements FuseFileSystem {
    protected final FuseFileSystem inner;

    public DelegatingFs(FuseFileSystem inner) {
        this.inner = inner;
    }

    @Override public void init(FuseConnection conn) { inner.init(conn); }
    @Override public void destroy() { inner.destroy(); }
    @Override public int lookup(Request req, long parent, Name name, EntryOut out) { return inner.lookup(req, parent, name, out); }
    @Override public void forget(long node, long nlookup) { inner.forget(node, nlookup); }
    @Override public int getattr(Request req, long node, GetattrIn in, AttrOut out) { return inner.getattr(req, node, in, out); }
    @Override public int setattr(Request req, long node, SetattrIn in, AttrOut out) { return inner.setattr(req, node, in, out); }
    @Override public int readlink(Request req, long node, Payload out) { return inner.readlink(req, node, out); }
    @Override public int symlink(Request req, long parent, Name name, Name target, EntryOut out) { return inner.symlink(req, parent, name, target, out); }
    @Override public int mknod(Request req, long parent, Name name, MknodIn in, EntryOut out) { return inner.mknod(req, parent, name, in, out); }
    @Override public int mkdir(Request req, long parent, Name name, MkdirIn in, EntryOut out) { return inner.mkdir(req, parent, name, in, out); }
    @Override public int unlink(Request req, long parent, Name name) { return inner.unlink(req, parent, name); }
    @Override public int rmdir(Request req, long parent, Name name) { return inner.rmdir(req, parent, name); }
    @Override public int rename(Request req, long parent, Name name, long newParent, Name newName, int flags) { return inner.rename(req, parent, name, newParent, newName, flags); }
    @Override public int link(Request req, long node, long newParent, Name newName, EntryOut out) { return inner.link(req, node, newParent, newName, out); }
    @Override public int open(Request req, long node, OpenIn in, OpenOut out) { return inner.open(req, node, in, out); }
    @Override public int create(Request req, long parent, Name name, CreateIn in, EntryOut entry, OpenOut open) { return inner.create(req, parent, name, in, entry, open); }
    @Override public int read(Request req, long node, ReadIn in, Payload out) { return inner.read(req, node, in, out); }
    @Override public int write(Request req, long node, WriteIn in, long data) { return inner.write(req, node, in, data); }
    @Override public int flush(Request req, long node, FlushIn in) { return inner.flush(req, node, in); }
    @Override public int release(Request req, long node, ReleaseIn in) { return inner.release(req, node, in); }
    @Override public int fsync(Request req, long node, FsyncIn in) { return inner.fsync(req, node, in); }
    @Override public int opendir(Request req, long node, OpenIn in, OpenOut out) { return inner.opendir(req, node, in, out); }
    @Override public int readdir(Request req, long node, ReadIn in, DirentSink out) { return inner.readdir(req, node, in, out); }
    @Override public int releasedir(Request req, long node, ReleaseIn in) { return inner.releasedir(req, node, in); }
    @Override public int fsyncdir(Request req, long node, FsyncIn in) { return inner.fsyncdir(req, node, in); }
    @Override public int statfs(Request req, long node, StatfsOut out) { return inner.statfs(req, node, out); }
    @Override public int access(Request req, long node, int mask) { return inner.access(req, node, mask); }
    @Override public int setxattr(Request req, long node, Name name, long value, int size, int flags) { return inner.setxattr(req, node, name, value, size, flags); }
    @Override public int getxattr(Request req, long node, Name name, int size, Payload out) { return inner.getxattr(req, node, name, size, out); }
    @Override public int listxattr(Request req, long node, int size, Payload out) { return inner.listxattr(req, node, size, out); }
    @Override public int removexattr(Request req, long node, Name name) { return inner.removexattr(req, node, name); }
    @Override public int fallocate(Request req, long node, FallocateIn in) { return inner.fallocate(req, node, in); }
    @Override public long lseek(Request req, long node, LseekIn in) { return inner.lseek(req, node, in); }
    @Override public long copyFileRange(Request req, long nodeIn, CopyFileRangeIn in) { return inner.copyFileRange(req, nodeIn, in); }
    @Override public int getlk(Request req, long node, LkIn in, LkOut out) { return inner.getlk(req, node, in, out); }
    @Override public int setlk(Request req, long node, LkIn in, boolean sleep) { return inner.setlk(req, node, in, sleep); }
    @Override public int syncfs(Request req, long node) { return inner.syncfs(req, node); }
}
