package io.arbiterfs.fuse.internal.dispatch;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.InitOut;

/**
 * The INIT exchange as a pure function: what the kernel offered and what we want in, the reply out.
 * We speak min(kernel minor, 45), grant only offered flags, and always set FUSE_INIT_EXT when the
 * kernel knows it, since without it the kernel ignores flags2 (ALLOW_MMAP, PASSTHROUGH).
 */
public final class InitNegotiation {
    /** Oldest minor we serve: 7.23 is where fuse_init_out took its 64-byte form. */
    public static final int MIN_MINOR = 23;

    public record Result(int minor, long flags, int replySize) {}

    private InitNegotiation() {}

    public static long offeredFlags(InitIn in, int bodyLength) {
        long flags = Integer.toUnsignedLong(in.flags());
        if (bodyLength >= InitIn.SIZE && (flags & FuseConst.INIT_EXT) != 0) {
            flags |= Integer.toUnsignedLong(in.flags2()) << 32;
        }
        return flags;
    }

    /**
     * Fills {@code out} for a kernel at {@code kernelMinor} offering {@code offered}.
     *
     * @return the settled minor, flags and reply size, or null if the kernel is too old
     */
    public static Result negotiate(int kernelMajor, int kernelMinor, int maxReadahead, long offered, long wanted,
                                   int maxWrite, int maxStackDepth, InitOut out) {
        out.major(FuseConst.KERNEL_VERSION);
        if (kernelMajor > FuseConst.KERNEL_VERSION) {
            // the kernel will retry INIT with our major
            out.minor(FuseConst.KERNEL_MINOR_VERSION);
            return new Result(-1, 0, InitOut.SIZE);
        }
        if (kernelMajor < FuseConst.KERNEL_VERSION || kernelMinor < MIN_MINOR) {
            return null;
        }
        int minor = Math.min(kernelMinor, FuseConst.KERNEL_MINOR_VERSION);
        long granted = offered & wanted;
        if ((offered & FuseConst.INIT_EXT) != 0) {
            granted |= FuseConst.INIT_EXT;
        }
        if ((granted & FuseConst.PASSTHROUGH) != 0) {
            // the kernel drops passthrough next to the writeback cache; never ask for both
            granted &= ~FuseConst.WRITEBACK_CACHE;
        }
        out.minor(minor)
                .maxReadahead(maxReadahead)
                .flags((int) granted)
                .flags2((int) (granted >>> 32))
                .maxBackground(64)
                .congestionThreshold(48)
                .maxWrite(maxWrite)
                .timeGran(1)
                .maxPages((granted & FuseConst.MAX_PAGES) != 0 ? maxWrite / 4096 : 0)
                .maxStackDepth((granted & FuseConst.PASSTHROUGH) != 0 ? maxStackDepth : 0);
        return new Result(minor, granted, InitOut.SIZE);
    }
}
