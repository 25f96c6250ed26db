package io.arbiterfs.jnrfuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.off_t;
import ru.serce.jnrfuse.FuseCallbacks;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseOperations;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a captured jnr-fuse file system through the Java callbacks in its {@code FuseOperations}, the way
 * libfuse would call the function pointers, with no libfuse loaded. Results are recorded as strings so a child
 * JVM can report them ({@link ProbeMountHandler}).
 */
final class CallbackProbe {
    /** The C signature of libfuse 2's {@code fuse_fill_dir_t}, with the name as a raw {@code char *}. */
    public interface NativeFiller {
        @Delegate
        int fill(Pointer buf, Pointer name, Pointer stbuf, @off_t long off);
    }

    private final CapturedMount mount;
    private final FuseOperations ops;
    private final Runtime runtime = Runtime.getSystemRuntime();
    final Map<String, String> results = new LinkedHashMap<>();

    CallbackProbe(CapturedMount mount) {
        this.mount = mount;
        this.ops = mount.operations();
    }

    private Pointer zeroed(int size) {
        return runtime.getMemoryManager().allocateDirect(size, true);
    }

    /** Calls init as libfuse's fuse_lib_init would (context zeroed, then fuse set), as the bridge will. */
    Pointer init() {
        JnrFuseContext.clear();
        JnrFuseContext.enter(mount.fuseHandle(), mount.userData(), 0, 0, 0, 0);
        Pointer conn = zeroed(LibFuse2Abi.CONN_INFO_SIZE);
        FuseCallbacks.InitCallback init = mount.callback(ops.init);
        return init.init(conn);
    }

    int getattr(String path, String key) {
        Pointer stat = zeroed(LibFuse2Abi.STAT_SIZE);
        FuseCallbacks.GetAttrCallback getattr = mount.callback(ops.getattr);
        int res = getattr.getattr(path, stat);
        results.put(key + ".res", Integer.toString(res));
        if (res == 0) {
            results.put(key + ".mode", Integer.toOctalString(stat.getInt(LibFuse2Abi.STAT_MODE)));
            results.put(key + ".nlink", Long.toString(stat.getLong(LibFuse2Abi.STAT_NLINK)));
            results.put(key + ".size", Long.toString(stat.getLong(LibFuse2Abi.STAT_SIZE_FIELD)));
            results.put(key + ".uid", Integer.toString(stat.getInt(LibFuse2Abi.STAT_UID)));
            results.put(key + ".gid", Integer.toString(stat.getInt(LibFuse2Abi.STAT_GID)));
        }
        return res;
    }

    /** readdir through the callback, with a real native function pointer as the filler (jnr-fuse converts it). */
    int readdir(String path, String key) {
        List<String> names = new ArrayList<>();
        List<String> stats = new ArrayList<>();
        NativeFiller filler = (buf, name, stbuf, off) -> {
            names.add(name.getString(0, 4096, StandardCharsets.UTF_8));
            stats.add(stbuf == null ? "null" : Integer.toOctalString(stbuf.getInt(LibFuse2Abi.STAT_MODE)));
            return 0;
        };
        Pointer fillerPointer = runtime.getClosureManager().getClosurePointer(NativeFiller.class, filler);
        Pointer dirHandle = zeroed(8);
        FuseCallbacks.ReaddirCallback readdir = mount.callback(ops.readdir);
        int res = readdir.readdir(path, dirHandle, fillerPointer, 0, zeroed(LibFuse2Abi.FILE_INFO_SIZE));
        results.put(key + ".res", Integer.toString(res));
        results.put(key + ".names", String.join("|", names));
        results.put(key + ".stats", String.join("|", stats));
        return res;
    }

    String read(String path, int size, long offset, String key) {
        Pointer fi = zeroed(LibFuse2Abi.FILE_INFO_SIZE);
        fi.putInt(LibFuse2Abi.FILE_INFO_FLAGS, 0); // O_RDONLY
        int opened = ((FuseCallbacks.OpenCallback) mount.callback(ops.open)).open(path, fi);
        results.put(key + ".open", Integer.toString(opened));
        Pointer buf = zeroed(size);
        int res = ((FuseCallbacks.ReadCallback) mount.callback(ops.read)).read(path, buf, size, offset, fi);
        results.put(key + ".res", Integer.toString(res));
        String data = res > 0 ? buf.getString(0, res, StandardCharsets.UTF_8) : "";
        results.put(key + ".data", data);
        return data;
    }

    int create(String path, int mode, String key) {
        Pointer fi = zeroed(LibFuse2Abi.FILE_INFO_SIZE);
        int res = ((FuseCallbacks.CreateCallback) mount.callback(ops.create)).create(path, mode, fi);
        results.put(key + ".res", Integer.toString(res));
        return res;
    }

    int write(String path, String data, long offset, String key) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        Pointer buf = zeroed(bytes.length);
        buf.put(0, bytes, 0, bytes.length);
        int res = ((FuseCallbacks.WriteCallback) mount.callback(ops.write))
                .write(path, buf, bytes.length, offset, zeroed(LibFuse2Abi.FILE_INFO_SIZE));
        results.put(key + ".res", Integer.toString(res));
        return res;
    }

    int mkdir(String path, int mode, String key) {
        int res = ((FuseCallbacks.MkdirCallback) mount.callback(ops.mkdir)).mkdir(path, mode);
        results.put(key + ".res", Integer.toString(res));
        return res;
    }

    int rename(String from, String to, String key) {
        int res = ((FuseCallbacks.RenameCallback) mount.callback(ops.rename)).rename(from, to);
        results.put(key + ".res", Integer.toString(res));
        return res;
    }

    int unlink(String path, String key) {
        int res = ((FuseCallbacks.UnlinkCallback) mount.callback(ops.unlink)).unlink(path);
        results.put(key + ".res", Integer.toString(res));
        return res;
    }

    /** The sequence both probe tests check: HelloFuse's or MemoryFS's files, and getContext() redirected. */
    Map<String, String> run() {
        results.put("fs", mount.fileSystem().getClass().getName());
        results.put("mountpoint", mount.arguments().mountPoint().toString());
        results.put("debug", Boolean.toString(mount.arguments().debug()));
        results.put("implemented", String.join(",", mount.implemented()));
        results.put("init.result", String.valueOf(init()));
        JnrFuseContext.enter(mount.fuseHandle(), null, 1234, 5678, 4242, 022);
        FileStat.class.getName(); // the struct classes load without libfuse
        results.put("context.uid", Long.toString(mount.fileSystem().getContext().uid.get()));
        results.put("context.gid", Long.toString(mount.fileSystem().getContext().gid.get()));
        results.put("context.pid", Long.toString(mount.fileSystem().getContext().pid.get()));
        results.put("context.umask", Long.toOctalString(mount.fileSystem().getContext().umask.get()));
        results.put("context.fuse", Boolean.toString(
                mount.fileSystem().getContext().fuse.get().address() == mount.fuseHandle().address()));
        getattr("/", "root");
        getattr("/does-not-exist", "missing");
        readdir("/", "list");
        if (mount.fileSystem() instanceof ru.serce.jnrfuse.examples.HelloFuse) {
            getattr("/hello", "hello");
            read("/hello", 4096, 0, "read");
        } else {
            create("/new.txt", 0100644, "create");
            write("/new.txt", "written without libfuse", 0, "write");
            read("/new.txt", 4096, 8, "read");
            mkdir("/dir", 0755, "mkdir");
            rename("/new.txt", "/dir/moved.txt", "rename");
            getattr("/dir/moved.txt", "moved");
            unlink("/dir/moved.txt", "unlink");
            getattr("/dir/moved.txt", "gone");
            readdir("/", "list2");
        }
        return results;
    }
}
