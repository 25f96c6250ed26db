package io.arbiterfs.testkit.fs;

import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ForwardingFileSystem;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deliberately wrong file system for the xfstests harness's self-test, never for real mounts: every Nth
 * WRITE is either dropped while success is replied ({@code drop:N}) or written 4096 bytes further
 * into the file than asked ({@code shift:N}). The self-test requires the harness to report failures
 * on it; a harness that passes this file system cannot catch lost or misplaced writes.
 */
public final class BrokenFs<F, D> extends ForwardingFileSystem<F, D> {
    private static final Logger log = LoggerFactory.getLogger(BrokenFs.class);

    public enum Fault { DROP, SHIFT }

    private final Fault fault;
    private final long every;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    public BrokenFs(FileSystem<F, D> inner, Fault fault, long every) {
        super(inner);
        if (every < 1) {
            throw new IllegalArgumentException("fault period must be at least 1");
        }
        this.fault = fault;
        this.every = every;
    }

    /** Which fault, every how many WRITEs: {@code drop:N} or {@code shift:N}. */
    public record Spec(Fault fault, long every) {
        public Spec {
            if (every < 1) {
                throw new IllegalArgumentException("fault period must be at least 1, not " + every);
            }
        }

        /** Parses {@code drop:N} or {@code shift:N}. */
        public static Spec parse(String spec) {
            String[] p = spec.split(":");
            try {
                if (p.length == 2) {
                    return new Spec(Fault.valueOf(p[0].toUpperCase(java.util.Locale.ROOT)), Long.parseLong(p[1]));
                }
            } catch (IllegalArgumentException e) {
                // the message below says what is accepted
            }
            throw new IllegalArgumentException("fault spec must be drop:N or shift:N, not '" + spec + "'");
        }

        /** {@code inner} broken this way. */
        public <F, D> BrokenFs<F, D> wrap(FileSystem<F, D> inner) {
            return new BrokenFs<>(inner, fault, every);
        }

        @Override
        public String toString() {
            return fault.name().toLowerCase(java.util.Locale.ROOT) + ":" + every;
        }
    }

    /** {@code inner} broken as {@code spec} ({@code drop:N} or {@code shift:N}) says. */
    public static <F, D> BrokenFs<F, D> wrap(FileSystem<F, D> inner, String spec) {
        return Spec.parse(spec).wrap(inner);
    }

    /** Faults injected so far. */
    public long injected() {
        return injected.get();
    }

    @Override
    public int write(Request req, long node, F file, WriteArgs in, DataView data) {
        if (in.size() == 0 || writes.incrementAndGet() % every != 0) {
            return super.write(req, node, file, in, data);
        }
        long n = injected.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            log.warn("BrokenFs: {} injected ({} so far)", fault, n);
        }
        if (fault == Fault.DROP) {
            return in.size(); // claim success, write nothing
        }
        return super.write(req, node, file, new Shifted(in, 4096), data);
    }

    /** The same WRITE with its offset moved: the payload lands {@code by} bytes further on. */
    private record Shifted(WriteArgs in, long by) implements WriteArgs {
        @Override
        public long offset() {
            return in.offset() + by;
        }

        @Override
        public int size() {
            return in.size();
        }

        @Override
        public boolean isWriteback() {
            return in.isWriteback();
        }

        @Override
        public boolean killSuidGid() {
            return in.killSuidGid();
        }

        @Override
        public int openFlags() {
            return in.openFlags();
        }

        @Override
        public long lockOwner() {
            return in.lockOwner();
        }
    }
}
