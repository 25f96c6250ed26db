package io.arbiterfs.fuse.internal.abi;

/** fuse_attr: embedded in entry and attr replies. Size 88. */
public final class Attr extends Struct<Attr> implements io.arbiterfs.fuse.Attributes {
    public static final int SIZE = 88;

    @Override
    public int structSize() {
        return SIZE;
    }

    @Override
    public long ino() {
        return buf.getLong(at);
    }

    @Override
    public Attr ino(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    @Override
    public long size() {
        return buf.getLong(at + 8);
    }

    @Override
    public Attr size(long v) {
        buf.putLong(at + 8, v);
        return this;
    }

    @Override
    public long blocks() {
        return buf.getLong(at + 16);
    }

    @Override
    public Attr blocks(long v) {
        buf.putLong(at + 16, v);
        return this;
    }

    public long atime() {
        return buf.getLong(at + 24);
    }

    public Attr atime(long v) {
        buf.putLong(at + 24, v);
        return this;
    }

    public long mtime() {
        return buf.getLong(at + 32);
    }

    public Attr mtime(long v) {
        buf.putLong(at + 32, v);
        return this;
    }

    public long ctime() {
        return buf.getLong(at + 40);
    }

    public Attr ctime(long v) {
        buf.putLong(at + 40, v);
        return this;
    }

    public int atimensec() {
        return buf.getInt(at + 48);
    }

    public Attr atimensec(int v) {
        buf.putInt(at + 48, v);
        return this;
    }

    public int mtimensec() {
        return buf.getInt(at + 52);
    }

    public Attr mtimensec(int v) {
        buf.putInt(at + 52, v);
        return this;
    }

    public int ctimensec() {
        return buf.getInt(at + 56);
    }

    public Attr ctimensec(int v) {
        buf.putInt(at + 56, v);
        return this;
    }

    @Override
    public int mode() {
        return buf.getInt(at + 60);
    }

    @Override
    public Attr mode(int v) {
        buf.putInt(at + 60, v);
        return this;
    }

    @Override
    public int nlink() {
        return buf.getInt(at + 64);
    }

    @Override
    public Attr nlink(int v) {
        buf.putInt(at + 64, v);
        return this;
    }

    @Override
    public int uid() {
        return buf.getInt(at + 68);
    }

    @Override
    public Attr uid(int v) {
        buf.putInt(at + 68, v);
        return this;
    }

    @Override
    public int gid() {
        return buf.getInt(at + 72);
    }

    @Override
    public Attr gid(int v) {
        buf.putInt(at + 72, v);
        return this;
    }

    @Override
    public int rdev() {
        return buf.getInt(at + 76);
    }

    @Override
    public Attr rdev(int v) {
        buf.putInt(at + 76, v);
        return this;
    }

    @Override
    public int blksize() {
        return buf.getInt(at + 80);
    }

    @Override
    public Attr blksize(int v) {
        buf.putInt(at + 80, v);
        return this;
    }

    public int flags() {
        return buf.getInt(at + 84);
    }

    public Attr flags(int v) {
        buf.putInt(at + 84, v);
        return this;
    }

    @Override
    public Attr atime(long seconds, int nanos) {
        return atime(seconds).atimensec(nanos);
    }

    @Override
    public Attr mtime(long seconds, int nanos) {
        return mtime(seconds).mtimensec(nanos);
    }

    @Override
    public Attr ctime(long seconds, int nanos) {
        return ctime(seconds).ctimensec(nanos);
    }

    @Override
    public long atimeSeconds() {
        return atime();
    }

    @Override
    public long mtimeSeconds() {
        return mtime();
    }

    @Override
    public long ctimeSeconds() {
        return ctime();
    }
}
