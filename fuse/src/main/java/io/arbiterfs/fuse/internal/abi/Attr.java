package io.arbiterfs.fuse.internal.abi;

/** fuse_attr: embedded in entry and attr replies. Size 88. */
public final class Attr extends Struct<Attr> {
    public static final int SIZE = 88;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long ino() {
        return buf.getLong(at);
    }

    public Attr ino(long v) {
        buf.putLong(at + 0, v);
        return this;
    }

    public long size() {
        return buf.getLong(at + 8);
    }

    public Attr size(long v) {
        buf.putLong(at + 8, v);
        return this;
    }

    public long blocks() {
        return buf.getLong(at + 16);
    }

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

    public int mode() {
        return buf.getInt(at + 60);
    }

    public Attr mode(int v) {
        buf.putInt(at + 60, v);
        return this;
    }

    public int nlink() {
        return buf.getInt(at + 64);
    }

    public Attr nlink(int v) {
        buf.putInt(at + 64, v);
        return this;
    }

    public int uid() {
        return buf.getInt(at + 68);
    }

    public Attr uid(int v) {
        buf.putInt(at + 68, v);
        return this;
    }

    public int gid() {
        return buf.getInt(at + 72);
    }

    public Attr gid(int v) {
        buf.putInt(at + 72, v);
        return this;
    }

    public int rdev() {
        return buf.getInt(at + 76);
    }

    public Attr rdev(int v) {
        buf.putInt(at + 76, v);
        return this;
    }

    public int blksize() {
        return buf.getInt(at + 80);
    }

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
}
