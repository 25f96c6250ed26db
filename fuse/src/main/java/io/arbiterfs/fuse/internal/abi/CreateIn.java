package io.arbiterfs.fuse.internal.abi;

/** fuse_create_in; followed by the name. Size 16. */
public final class CreateIn extends Struct<CreateIn> {
    public static final int SIZE = 16;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int flags() {
        return buf.getInt(at);
    }

    public int mode() {
        return buf.getInt(at + 4);
    }

    public int umask() {
        return buf.getInt(at + 8);
    }

    public int openFlags() {
        return buf.getInt(at + 12);
    }
}
