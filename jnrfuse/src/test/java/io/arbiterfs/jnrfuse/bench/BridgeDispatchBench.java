package io.arbiterfs.jnrfuse.bench;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.arbitration.PathPolicy;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.Connection;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.fuse.FileSystem;
import io.arbiterfs.fuse.internal.abi.InHeader;
import io.arbiterfs.fuse.internal.abi.InitIn;
import io.arbiterfs.fuse.internal.abi.Opcode;
import io.arbiterfs.fuse.internal.abi.OutHeader;
import io.arbiterfs.fuse.internal.abi.ReadIn;
import io.arbiterfs.fuse.internal.abi.WriteIn;
import io.arbiterfs.fuse.internal.dispatch.Exchange;
import io.arbiterfs.fuse.internal.dispatch.OpTable;
import io.arbiterfs.jnrfuse.Captures;
import io.arbiterfs.jnrfuse.JnrFuseOptions;
import io.arbiterfs.jnrfuse.bridge.JnrFuseBridge;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Pointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.examples.MemoryFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * A READ or WRITE request already in a request thread's {@link Exchange}, decoded, dispatched through the engine's
 * {@link OpTable} into a jnr-fuse file system through the bridge, and its reply encoded: what a request thread does
 * between its read(2) and writev(2) on /dev/fuse, for a jnr-fuse file system.
 *
 * <ul>
 *   <li>{@code stack=bridge}: the bridge alone; {@code stack=arbitrated}: under the IO-mode arbitration and the status
 *       attributes, as a jnr-fuse mount stacks it, the file opened O_DIRECT with {@code parallel_dio} (shared write
 *       grants);</li>
 *   <li>{@code fs=noop}: a {@code FuseStubFS} whose read and write touch nothing (the bridge's own cost);
 *       {@code fs=memoryfs}: jnr-fuse's MemoryFS, whose read and write allocate a byte[] per call themselves.</li>
 * </ul>
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the garbage per request; the bridge's goal is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Djnr.ffi.provider=io.arbiterfs.jnrfuse.ArbiterFfiProvider")
public class BridgeDispatchBench {
    @Param({"bridge", "arbitrated"})
    public String stack;

    @Param({"noop", "memoryfs"})
    public String fs;

    @Param({"4096", "131072"})
    public int size;

    private static final int O_RDWR = 02;
    private static final int O_DIRECT = 040000;
    private OpTable<?, ?> table;
    private Exchange x;
    private int readLength;
    private int writeLength;
    private byte[] readRequest;
    private byte[] writeRequest;
    private long unique = 100;

    /** Answers at once: getattr of one 1 GiB file, read and write of any size. */
    public static final class NoopFs extends FuseStubFS {
        @Override
        public int getattr(String path, FileStat stat) {
            if (path.equals("/")) {
                stat.st_mode.set(FileStat.S_IFDIR | 0755);
                return 0;
            }
            if (!path.equals("/file")) {
                return -ErrorCodes.ENOENT();
            }
            stat.st_mode.set(FileStat.S_IFREG | 0644);
            stat.st_size.set(1L << 30);
            return 0;
        }

        @Override
        public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
            return (int) size;
        }

        @Override
        public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
            return (int) size;
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

    private static final Connection CONNECTION = new Connection() {
        public int minor() { return 45; }
        public Set<Feature> granted() { return Set.of(Feature.ASYNC_READ, Feature.BIG_WRITES); }
        public boolean has(Feature f) { return granted().contains(f); }
        public int maxWrite() { return 1 << 20; }
        public int requestThreads() { return 8; }
        public io.arbiterfs.fuse.TransportStatus transport() {
            return new io.arbiterfs.fuse.TransportStatus("/dev/fuse", 0, 0, 0, List.of(), 8, null);
        }
        public void invalidateData(long node, long offset, long length) {}
        public boolean invalidateDataNow(long node, long offset, long length) { return true; }
        public void invalidateAttributes(long node) {}
        public int openBacking(int fd) { return -38; }
        public int closeBacking(int id) { return 0; }
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AbstractFuseFS jnrFs = fs.equals("noop") ? new NoopFs() : new MemoryFS();
        String name = fs.equals("noop") ? "file" : "bench.dat";
        JnrFuseOptions options = JnrFuseOptions.parse(List.of("parallel_dio"));
        JnrFuseBridge bridge = new JnrFuseBridge(Captures.of(jnrFs), options.bridge());
        FileSystem<?, ?> top = stack.equals("bridge") ? bridge
                : ArbiterDaemon.stack(bridge, bridge.facts(), options.mount(), PathPolicy.empty(), c -> Optional.empty()).top();
        top.init(CONNECTION);
        x = new Exchange(1 << 20);
        table = new OpTable<>(top, CONTROL);
        ByteBuffer in = x.requestBuffer();
        long node;
        if (fs.equals("memoryfs")) {
            // CREATE bench.dat (fuse_create_in {flags, mode, umask, open_flags} + name), then fill 1 MiB
            byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
            in.putInt(InHeader.SIZE, O_RDWR | O_DIRECT).putInt(InHeader.SIZE + 4, 0100644).putInt(InHeader.SIZE + 8, 0)
                    .putInt(InHeader.SIZE + 12, 0).put(InHeader.SIZE + 16, n);
            check(table.dispatch(x, header(in, InHeader.SIZE + 16 + n.length, Opcode.CREATE, 1)), "CREATE");
            node = reply().getLong(OutHeader.SIZE);
            long fh = reply().getLong(OutHeader.SIZE + 128);
            prepare(in, node, fh);
            in.putLong(InHeader.SIZE + 8, 0).putInt(InHeader.SIZE + 16, 1 << 20);
            check(table.dispatch(x, header(in, InHeader.SIZE + WriteIn.SIZE + (1 << 20), Opcode.WRITE, node)), "WRITE");
            prepare(in, node, fh);
        } else {
            byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
            in.put(InHeader.SIZE, n);
            check(table.dispatch(x, header(in, InHeader.SIZE + n.length, Opcode.LOOKUP, 1)), "LOOKUP");
            node = reply().getLong(OutHeader.SIZE);
            in.putInt(InHeader.SIZE, O_RDWR | O_DIRECT).putInt(InHeader.SIZE + 4, 0);
            check(table.dispatch(x, header(in, InHeader.SIZE + 8, Opcode.OPEN, node)), "OPEN");
            prepare(in, node, reply().getLong(OutHeader.SIZE));
        }
    }

    /** The READ and WRITE requests of {@code size} bytes at offset 0 on open file {@code fh}. */
    private void prepare(ByteBuffer in, long node, long fh) {
        in.putLong(InHeader.SIZE, fh).putLong(InHeader.SIZE + 8, 0).putInt(InHeader.SIZE + 16, size)
                .putInt(InHeader.SIZE + 20, 0).putLong(InHeader.SIZE + 24, 0).putInt(InHeader.SIZE + 32, O_RDWR | O_DIRECT)
                .putInt(InHeader.SIZE + 36, 0);
        readLength = header(in, InHeader.SIZE + ReadIn.SIZE, Opcode.READ, node);
        readRequest = snapshot(in, readLength);
        writeLength = header(in, InHeader.SIZE + WriteIn.SIZE + size, Opcode.WRITE, node);
        writeRequest = snapshot(in, InHeader.SIZE + WriteIn.SIZE);
    }

    private Pointer reply() {
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

    @Benchmark
    public int read() {
        x.requestBuffer().put(0, readRequest);
        return table.dispatch(x, readLength);
    }

    @Benchmark
    public int write() {
        x.requestBuffer().put(0, writeRequest);
        return table.dispatch(x, writeLength);
    }
}
