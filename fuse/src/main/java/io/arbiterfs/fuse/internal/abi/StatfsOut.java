package io.arbiterfs.fuse.internal.abi;

/** fuse_statfs_out (fuse_kstatfs). Size 80. */
public final class StatfsOut extends Struct<StatfsOut> implements io.arbiterfs.fuse.FsStats {
    public static final int SIZE = 80;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long blocks() {
        return buf.getLong(at);
    }

    @Override
    public StatfsOut blocks(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public long bfree() {
        return buf.getLong(at + 8);
    }

    public StatfsOut bfree(long v) {
        buf.putLong(at + 8, v);
        return this;
    }

    public long bavail() {
        return buf.getLong(at + 16);
    }

    public StatfsOut bavail(long v) {
        buf.putLong(at + 16, v);
        return this;
    }

    public long files() {
        return buf.getLong(at + 24);
    }

    @Override
    public StatfsOut files(long v) {
        buf.putLong(at + 24, v);
        return this;
    }

    public long ffree() {
        return buf.getLong(at + 32);
    }

    public StatfsOut ffree(long v) {
        buf.putLong(at + 32, v);
        return this;
    }

    public int bsize() {
        return buf.getInt(at + 40);
    }

    public StatfsOut bsize(int v) {
        buf.putInt(at + 40, v);
        return this;
    }

    public int namelen() {
        return buf.getInt(at + 44);
    }

    public StatfsOut namelen(int v) {
        buf.putInt(at + 44, v);
        return this;
    }

    public int frsize() {
        return buf.getInt(at + 48);
    }

    public StatfsOut frsize(int v) {
        buf.putInt(at + 48, v);
        return this;
    }

    @Override
    public StatfsOut freeBlocks(long v) {
        return bfree(v);
    }

    @Override
    public StatfsOut availableBlocks(long v) {
        return bavail(v);
    }

    @Override
    public StatfsOut freeFiles(long v) {
        return ffree(v);
    }

    @Override
    public StatfsOut blockSize(int v) {
        return bsize(v);
    }

    @Override
    public StatfsOut maxNameLength(int v) {
        return namelen(v);
    }

    @Override
    public StatfsOut fragmentSize(int v) {
        return frsize(v);
    }
}
