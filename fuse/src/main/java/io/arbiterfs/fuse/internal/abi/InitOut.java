package io.arbiterfs.fuse.internal.abi;

/** fuse_init_out. Size 64. */
public final class InitOut extends Struct<InitOut> {
    public static final int SIZE = 64;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int major() {
        return buf.getInt(at);
    }

    public InitOut major(int v) {
        buf.putInt(at + 0, v);
        return this;
    }

    public int minor() {
        return buf.getInt(at + 4);
    }

    public InitOut minor(int v) {
        buf.putInt(at + 4, v);
        return this;
    }

    public int maxReadahead() {
        return buf.getInt(at + 8);
    }

    public InitOut maxReadahead(int v) {
        buf.putInt(at + 8, v);
        return this;
    }

    public int flags() {
        return buf.getInt(at + 12);
    }

    public InitOut flags(int v) {
        buf.putInt(at + 12, v);
        return this;
    }

    public int maxBackground() {
        return Short.toUnsignedInt(buf.getShort(at + 16));
    }

    public InitOut maxBackground(int v) {
        buf.putShort(at + 16, (short) v);
        return this;
    }

    public int congestionThreshold() {
        return Short.toUnsignedInt(buf.getShort(at + 18));
    }

    public InitOut congestionThreshold(int v) {
        buf.putShort(at + 18, (short) v);
        return this;
    }

    public int maxWrite() {
        return buf.getInt(at + 20);
    }

    public InitOut maxWrite(int v) {
        buf.putInt(at + 20, v);
        return this;
    }

    public int timeGran() {
        return buf.getInt(at + 24);
    }

    public InitOut timeGran(int v) {
        buf.putInt(at + 24, v);
        return this;
    }

    public int maxPages() {
        return Short.toUnsignedInt(buf.getShort(at + 28));
    }

    public InitOut maxPages(int v) {
        buf.putShort(at + 28, (short) v);
        return this;
    }

    public int mapAlignment() {
        return Short.toUnsignedInt(buf.getShort(at + 30));
    }

    public InitOut mapAlignment(int v) {
        buf.putShort(at + 30, (short) v);
        return this;
    }

    public int flags2() {
        return buf.getInt(at + 32);
    }

    public InitOut flags2(int v) {
        buf.putInt(at + 32, v);
        return this;
    }

    public int maxStackDepth() {
        return buf.getInt(at + 36);
    }

    public InitOut maxStackDepth(int v) {
        buf.putInt(at + 36, v);
        return this;
    }

    public int requestTimeout() {
        return Short.toUnsignedInt(buf.getShort(at + 40));
    }

    public InitOut requestTimeout(int v) {
        buf.putShort(at + 40, (short) v);
        return this;
    }
}
