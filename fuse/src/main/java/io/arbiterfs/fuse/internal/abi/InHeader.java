package io.arbiterfs.fuse.internal.abi;

/** fuse_in_header: the header of every request. Size 40. */
public final class InHeader extends Struct<InHeader> {
    public static final int SIZE = 40;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int len() {
        return buf.getInt(at);
    }

    public int opcode() {
        return buf.getInt(at + 4);
    }

    public long unique() {
        return buf.getLong(at + 8);
    }

    public long nodeId() {
        return buf.getLong(at + 16);
    }

    public int uid() {
        return buf.getInt(at + 24);
    }

    public int gid() {
        return buf.getInt(at + 28);
    }

    public int pid() {
        return buf.getInt(at + 32);
    }

    public int totalExtlen() {
        return Short.toUnsignedInt(buf.getShort(at + 36));
    }
}
