package io.arbiterfs.daemon.bench;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.arbitration.PathPolicy;
import io.arbiterfs.fuse.DataView;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.ReplyBuffer;
import io.arbiterfs.fuse.Request;
import io.arbiterfs.fuse.WriteArgs;
import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The daemon's request path without /dev/fuse: a READ or WRITE request already in a worker's
 * {@link Exchange} is decoded, dispatched through {@link OpTable} and its reply encoded — what a
 * worker does between its read(2) and writev(2) on /dev/fuse.
 *
 * <ul>
 *   <li>{@code fs=noop}: a file system that answers at once (decode + dispatch + encode only);
 *   <li>{@code fs=arbitrated}: the real stack (status, IO-mode arbitration, passthrough; as {@code ./arbiterfs mount} builds it)
 *       over a file in {@code /dev/shm}, opened O_DIRECT through LOOKUP + OPEN requests, so each
 *       WRITE takes the IO-mode grant and the inode's shared write lock and makes the real pwrite(2).
 * </ul>
 * {@code transport=ring} hands the same requests to {@link OpTable#dispatchRing} as an io_uring entry carries them
 * (the ring thread's part between two io_uring_enter calls).
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the garbage per request (goal: 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBench {
    @Param({"noop", "arbitrated"})
    public String fs;

    @Param({"4096", "131072"})
    public int size;

    /** {@code dev}: the request in a /dev/fuse worker's buffer; {@code ring}: in an io_uring entry (header page + payload). */
    @Param({"dev", "ring"})
    public String transport;

    private static final long ROOT = 1;
    private static final int O_RDWR = 02;
    private static final int O_DIRECT = 040000;

    private OpTable<?, ?> table;
    private Exchange x;
    private FileSystem<?, ?> fileSystem;
    private Path dir;
    private int readLength;
    private int writeLength;
    private byte[] readRequest;
    private byte[] writeRequest;
    private long unique = 100;
    /** A ring entry as the kernel fills it: fuse_in_header at 0, the op's struct at 128, the payload at 4096. */
    private ByteBuffer entry;
    private ByteBuffer entryReadOnly;
    private long entryAddress;
    private Exchange ringExchange;
    private static final int ENTRY_OP_IN = 128;
    private static final int ENTRY_PAYLOAD = 4096;
    private static final int ENTRY_PAYLOAD_SIZE_AT = 256 + 16;

    /** Answers READ and WRITE at once, touching no data. */
    static final class NoopFs implements FileSystem<Object, Object> {
        @Override
        public int read(Request req, long node, Object file, long offset, int size, ReplyBuffer out) {
            return Math.min(size, out.capacity());
        }

        @Override
        public int write(Request req, long node, Object file, WriteArgs args, DataView data) {
            return args.size();
        }
    }

    private static final OpTable.Control CONTROL = new OpTable.Control() {
        @Override
        public int init(Exchange x, InitIn in, int bodyLength) {
            return -38;
        }

        @Override
        public int interrupt(long unique) {
            return 0;
        }

        @Override
        public void destroy() {}
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        x = new Exchange(1 << 20);
        long node = 2;
        long fh = 0;
        if (fs.equals("noop")) {
            fileSystem = new NoopFs();
            table = new OpTable<>(fileSystem, CONTROL);
        } else {
            dir = Files.createTempDirectory(Path.of("/dev/shm"), "dispatch-bench-");
            Files.write(dir.resolve("bench.dat"), new byte[16 << 20]);
            fileSystem = ArbiterDaemon.sourceStack(dir, MountOptions.parse(List.of()), PathPolicy.empty()).top();
            table = new OpTable<>(fileSystem, CONTROL);
            // LOOKUP "bench.dat" in the root, then OPEN it O_DIRECT (a parallel-direct open)
            ByteBuffer in = x.requestBuffer();
            byte[] name = "bench.dat\0".getBytes(StandardCharsets.UTF_8);
            in.put(InHeader.SIZE, name);
            check(table.dispatch(x, header(in, InHeader.SIZE + name.length, Opcode.LOOKUP, ROOT)), "LOOKUP");
            node = reply().getLong(OutHeader.SIZE); // entry_out.nodeid
            in.putInt(InHeader.SIZE, O_RDWR | O_DIRECT).putInt(InHeader.SIZE + 4, 0);
            check(table.dispatch(x, header(in, InHeader.SIZE + 8, Opcode.OPEN, node)), "OPEN");
            fh = reply().getLong(OutHeader.SIZE); // open_out.fh
        }
        ByteBuffer in = x.requestBuffer();
        // READ: fuse_read_in {fh, offset, size, read_flags, lock_owner, flags, padding}
        in.putLong(InHeader.SIZE, fh).putLong(InHeader.SIZE + 8, 0).putInt(InHeader.SIZE + 16, size)
                .putInt(InHeader.SIZE + 20, 0).putLong(InHeader.SIZE + 24, 0).putInt(InHeader.SIZE + 32, O_RDWR | O_DIRECT)
                .putInt(InHeader.SIZE + 36, 0);
        readLength = header(in, InHeader.SIZE + ReadIn.SIZE, Opcode.READ, node);
        readRequest = snapshot(in, readLength);
        // WRITE: fuse_write_in {fh, offset, size, write_flags, lock_owner, flags, padding} + payload
        writeLength = header(in, InHeader.SIZE + WriteIn.SIZE + size, Opcode.WRITE, node);
        for (int i = 0; i < size; i++) {
            in.put(InHeader.SIZE + WriteIn.SIZE + i, (byte) i);
        }
        writeRequest = snapshot(in, InHeader.SIZE + WriteIn.SIZE);
        if (transport.equals("ring")) {
            ringExchange = Exchange.forRing();
            entry = ByteBuffer.allocateDirect(2 * ENTRY_PAYLOAD + (1 << 20)).alignedSlice(ENTRY_PAYLOAD)
                    .order(java.nio.ByteOrder.nativeOrder());
            entryReadOnly = entry.asReadOnlyBuffer().order(entry.order());
            entryAddress = com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(entry);
            for (int i = 0; i < size; i++) {
                entry.put(ENTRY_PAYLOAD + i, (byte) i);
            }
        }
    }

    /** Puts a request as the kernel copies it into an entry: header and struct split, the payload already there. */
    private void toEntry(byte[] request, int payload) {
        entry.put(0, request, 0, InHeader.SIZE);
        entry.put(ENTRY_OP_IN, request, InHeader.SIZE, request.length - InHeader.SIZE);
        entry.putInt(ENTRY_PAYLOAD_SIZE_AT, payload);
    }

    /** The reply buffer is only exposed by address: read it through a jnr pointer. */
    private jnr.ffi.Pointer reply() {
        return jnr.ffi.Runtime.getSystemRuntime().getMemoryManager().newPointer(x.replyAddress());
    }

    private void check(int replyLength, String what) {
        int error = reply().getInt(4);
        if (replyLength <= 0 || error != 0) {
            throw new IllegalStateException(what + " failed: error " + error);
        }
    }

    private int header(ByteBuffer in, int length, int opcode, long node) {
        in.putInt(0, length).putInt(4, opcode).putLong(8, unique++).putLong(16, node)
                .putInt(24, 0).putInt(28, 0).putInt(32, 4242).putInt(36, 0);
        return length;
    }

    private static byte[] snapshot(ByteBuffer in, int length) {
        byte[] b = new byte[length];
        in.get(0, b);
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Decode + dispatch + encode of a READ of {@code size} bytes at offset 0. */
    @Benchmark
    public int read() {
        if (entry != null) {
            toEntry(readRequest, 0);
            table.dispatchRing(ringExchange, entry, entryReadOnly, entryAddress, ENTRY_PAYLOAD, 1 << 20, 0,
                    ENTRY_PAYLOAD_SIZE_AT);
            return entry.getInt(ENTRY_PAYLOAD_SIZE_AT);
        }
        x.requestBuffer().put(0, readRequest); // the worker's read(2) from /dev/fuse, header and struct only
        return table.dispatch(x, readLength);
    }

    /** Decode + dispatch + encode of a WRITE of {@code size} bytes at offset 0 (payload already in place). */
    @Benchmark
    public int write() {
        if (entry != null) {
            toEntry(writeRequest, size);
            table.dispatchRing(ringExchange, entry, entryReadOnly, entryAddress, ENTRY_PAYLOAD, 1 << 20, size,
                    ENTRY_PAYLOAD_SIZE_AT);
            return entry.getInt(ENTRY_PAYLOAD_SIZE_AT);
        }
        x.requestBuffer().put(0, writeRequest);
        return table.dispatch(x, writeLength);
    }
}
