package io.arbiterfs.fuse.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.fuse.internal.abi.InitOut;
import io.arbiterfs.fuse.platform.Native;
import io.arbiterfs.fuse.internal.transport.SessionOptions;
import org.junit.jupiter.api.Test;

class InitNegotiationTest {
    /** What a mount asks for by default. */
    private static final long WANTED = io.arbiterfs.fuse.Feature.bits(io.arbiterfs.fuse.Feature.DEFAULTS);
    private final InitOut out = new InitOut().wrap(Native.buffer(InitOut.SIZE), 0);
    private static final long KERNEL_6_18 = WANTED | FuseConst.INIT_EXT | FuseConst.WRITEBACK_CACHE
            | FuseConst.DIRECT_IO_ALLOW_MMAP | FuseConst.PASSTHROUGH | FuseConst.POSIX_LOCKS;

    @Test
    void grantsOfferedWantedFlagsWithInitExtAndFlags2() {
        var r = InitNegotiation.negotiate(7, 45, 131072, KERNEL_6_18,
                WANTED | FuseConst.DIRECT_IO_ALLOW_MMAP, 1 << 20, 0, out);
        assertEquals(45, r.minor());
        assertEquals(WANTED | FuseConst.DIRECT_IO_ALLOW_MMAP | FuseConst.INIT_EXT, r.flags());
        assertEquals((int) (r.flags() & 0xffffffffL), out.flags());
        assertEquals(0x10, out.flags2(), "ALLOW_MMAP is flags2 bit 4");
        assertEquals(1 << 20, out.maxWrite());
        assertEquals(256, out.maxPages());
        assertEquals(131072, out.maxReadahead());
        assertEquals(0, out.maxStackDepth());
    }

    @Test
    void neverGrantsWhatTheKernelDidNotOffer() {
        var r = InitNegotiation.negotiate(7, 45, 0, FuseConst.ASYNC_READ | FuseConst.INIT_EXT,
                WANTED | FuseConst.DIRECT_IO_ALLOW_MMAP, 1 << 20, 0, out);
        assertEquals(FuseConst.ASYNC_READ | FuseConst.INIT_EXT, r.flags());
        assertEquals(0, out.flags2());
    }

    @Test
    void speaksTheLowerMinor() {
        assertEquals(38, InitNegotiation.negotiate(7, 38, 0, KERNEL_6_18, 0, 1 << 20, 0, out).minor());
        assertEquals(45, InitNegotiation.negotiate(7, 46, 0, KERNEL_6_18, 0, 1 << 20, 0, out).minor());
        assertEquals(45, out.minor());
    }

    @Test
    void passthroughExcludesWritebackCacheAndCarriesStackDepth() {
        var r = InitNegotiation.negotiate(7, 45, 0, KERNEL_6_18,
                FuseConst.PASSTHROUGH | FuseConst.WRITEBACK_CACHE, 1 << 20, 1, out);
        assertEquals(0, r.flags() & FuseConst.WRITEBACK_CACHE);
        assertEquals(0x20, out.flags2());
        assertEquals(1, out.maxStackDepth());
    }

    @Test
    void refusesAncientKernels() {
        assertNull(InitNegotiation.negotiate(7, 19, 0, 0, 0, 1 << 20, 0, out));
        assertNull(InitNegotiation.negotiate(6, 45, 0, 0, 0, 1 << 20, 0, out));
    }

    @Test
    void newerMajorGetsOurVersionToRetryWith() {
        var r = InitNegotiation.negotiate(8, 0, 0, 0, 0, 1 << 20, 0, out);
        assertEquals(7, out.major());
        assertEquals(-1, r.minor());
    }
}
