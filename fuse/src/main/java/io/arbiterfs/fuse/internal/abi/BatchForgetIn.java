package io.arbiterfs.fuse.internal.abi;

/** fuse_batch_forget_in; followed by count fuse_forget_one {nodeid u64, nlookup u64}. Size 8. */
public final class BatchForgetIn extends Struct<BatchForgetIn> {
    public static final int SIZE = 8;

    @Override
    public int structSize() {
        return SIZE;
    }

    public int count() {
        return buf.getInt(at);
    }
}
