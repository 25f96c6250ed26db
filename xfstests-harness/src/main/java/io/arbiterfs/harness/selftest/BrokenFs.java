package io.arbiterfs.harness.selftest;

import io.arbiterfs.fuse.FuseFileSystem;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deliberately wrong file system for the harness's self-test, never for real mounts: every Nth
 * WRITE is either dropped while success is replied ({@code drop:N}) or written 4096 bytes further
 * into the file than asked ({@code shift:N}). The self-test requires the harness to report failures
 * on it; a harness that passes this file system cannot catch lost or misplaced writes.
 */
public final class BrokenFs extends DelegatingFs {
    private static final Logger log = LoggerFactory.getLogger(BrokenFs.class);

    public enum Fault { DROP, SHIFT }

    private final Fault fault;
    private final long every;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    public BrokenFs(FuseFileSystem inner, Fault fault, long every) {
        super(inner);
        if (every < 1) {
            throw new IllegalArgumentException("fault period must be at least 1");
        }
        this.fault = fault;
        this.every = every;
    }

    /** {@code drop:N} or {@code shift:N}. */
    public static BrokenFs wrap(FuseFileSystem inner, String spec) {
        String[] p = spec.split(":");
        if (p.length != 2) {
            throw new IllegalArgumentException("fault spec must be drop:N or shift:N, not " + spec);
        }
        return new BrokenFs(inner, Fault.valueOf(p[0].toUpperCase()), Long.parseLong(p[1]));
    }

    @Override
    public int write(Request req, long node, WriteIn in, long data) {
        if (in.size() == 0 || writes.incrementAndGet() % every != 0) {
            return inner.write(req, node, in, data);
        }
        long n = injected.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            log.warn("BrokenFs: {} injected ({} so far)", fault, n);
        }
        if (fault == Fault.DROP) {
            return in.size(); // claim success, write nothing
        }
        return inner.write(req, node, shifted(in, 4096), data);
    }

    /** A copy of the request header with the offset moved: the payload lands {@code by} bytes further on. */
    private static WriteIn shifted(WriteIn in, long by) {
        ByteBuffer b = ByteBuffer.allocate(WriteIn.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, in.fh());
        b.putLong(8, in.offset() + by);
        b.putInt(16, in.size());
        b.putInt(20, in.writeFlags());
        b.putLong(24, in.lockOwner());
        b.putInt(32, in.flags());
        return new WriteIn().wrap(b, 0);
    }
}
