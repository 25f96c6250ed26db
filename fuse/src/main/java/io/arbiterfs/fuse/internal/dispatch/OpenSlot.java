package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.OpenReply;
import io.arbiterfs.fuse.internal.abi.FuseConst;

/**
 * The {@link OpenReply} a file system fills; the engine then turns it into fuse_open_out (the handle becomes an
 * fh of the {@link HandleTable}). One per exchange, cleared for every open.
 */
final class OpenSlot implements OpenReply<Object> {
    private Object handle;
    private int flags;
    private int backingId;

    OpenSlot clear() {
        handle = null;
        flags = 0;
        backingId = 0;
        return this;
    }

    /** The FOPEN_* flags chosen. */
    int openFlags() {
        return flags | (backingId > 0 ? FuseConst.FOPEN_PASSTHROUGH : 0);
    }

    private OpenSlot flag(int bit, boolean on) {
        flags = on ? flags | bit : flags & ~bit;
        return this;
    }

    @Override
    public OpenSlot handle(Object h) {
        this.handle = h;
        return this;
    }

    @Override
    public Object handle() {
        return handle;
    }

    @Override
    public OpenSlot directIo(boolean on) {
        return flag(FuseConst.FOPEN_DIRECT_IO, on);
    }

    @Override
    public boolean directIo() {
        return (flags & FuseConst.FOPEN_DIRECT_IO) != 0;
    }

    @Override
    public OpenSlot parallelDirectWrites(boolean on) {
        return flag(FuseConst.FOPEN_PARALLEL_DIRECT_WRITES, on);
    }

    @Override
    public boolean parallelDirectWrites() {
        return (flags & FuseConst.FOPEN_PARALLEL_DIRECT_WRITES) != 0;
    }

    @Override
    public OpenSlot keepCache(boolean on) {
        return flag(FuseConst.FOPEN_KEEP_CACHE, on);
    }

    @Override
    public boolean keepCache() {
        return (flags & FuseConst.FOPEN_KEEP_CACHE) != 0;
    }

    @Override
    public OpenSlot nonSeekable(boolean on) {
        return flag(FuseConst.FOPEN_NONSEEKABLE, on);
    }

    @Override
    public boolean nonSeekable() {
        return (flags & FuseConst.FOPEN_NONSEEKABLE) != 0;
    }

    @Override
    public OpenSlot cacheDir(boolean on) {
        return flag(FuseConst.FOPEN_CACHE_DIR, on);
    }

    @Override
    public boolean cacheDir() {
        return (flags & FuseConst.FOPEN_CACHE_DIR) != 0;
    }

    @Override
    public OpenSlot passthrough(int id) {
        this.backingId = Math.max(0, id);
        return this;
    }

    @Override
    public int backingId() {
        return backingId;
    }
}
