package io.arbiterfs.fuse.internal.abi;

/** fuse_init_in (7.36+ layout; older kernels send the first 16 bytes). Size 64. */
public final class InitIn extends Struct<InitIn> {
    public static final int SIZE = 64;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int major() {
        return buf.getInt(at);
    }

    public int minor() {
        return buf.getInt(at + 4);
    }

    public int maxReadahead() {
        return buf.getInt(at + 8);
    }

    public int flags() {
        return buf.getInt(at + 12);
    }

    public int flags2() {
        return buf.getInt(at + 16);
    }
}
