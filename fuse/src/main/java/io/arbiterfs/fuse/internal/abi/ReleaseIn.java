package io.arbiterfs.fuse.internal.abi;

/** fuse_release_in (RELEASE and RELEASEDIR). Size 24. */
public final class ReleaseIn extends Struct<ReleaseIn> {
    public static final int SIZE = 24;

    @Override
    public int structSize() {
        return SIZE;
    }

    public long fh() {
        return buf.getLong(at);
    }

    public int flags() {
        return buf.getInt(at + 8);
    }

    public int releaseFlags() {
        return buf.getInt(at + 12);
    }

    public long lockOwner() {
        return buf.getLong(at + 16);
    }
}
