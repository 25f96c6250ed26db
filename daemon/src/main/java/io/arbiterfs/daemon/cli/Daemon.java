package io.arbiterfs.daemon.cli;

import io.arbiterfs.daemon.coherence.ArbitratedFs;
import io.arbiterfs.daemon.coherence.OpenPolicy;
import io.arbiterfs.daemon.coherence.PathPolicy;
import io.arbiterfs.daemon.faults.FaultInjectingIo;
import io.arbiterfs.daemon.faults.FaultPlan;
import io.arbiterfs.daemon.faults.LatencyIo;
import io.arbiterfs.fuse.internal.abi.FuseConst;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import io.arbiterfs.fuse.internal.mount.Mounter;
import io.arbiterfs.daemon.passthrough.PassthroughFs;
import io.arbiterfs.fuse.internal.transport.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.time.Duration;

/** How mount options become the file system and the session (INIT) options. */
public final class Daemon {
    /** The mount type suffix: arbiterfs mounts show as {@value #FS_TYPE}. */
    public static final String SUBTYPE = "arbiterfs";
    public static final String FS_TYPE = "fuse." + SUBTYPE;
    private static final Path DEV_FUSE = Path.of("/dev/fuse");

    private Daemon() {}

    public static SessionOptions sessionOptions(MountOptions o) {
        SessionOptions s = SessionOptions.defaults(o.maxThreads);
        if (o.allowMmap) {
            s = s.withFlags(FuseConst.DIRECT_IO_ALLOW_MMAP);
        }
        if (o.passthrough) {
            // one level of stacking: our backing files live on ordinary file systems
            s = s.withFlags(FuseConst.PASSTHROUGH).withMaxStackDepth(1);
        }
        return s;
    }

    /** Checks what the options need before anything is mounted; the message says what is wrong. */
    public static PathPolicy validate(MountOptions o) throws MountOptionException {
        if (!Mounter.isRoot() && !(Files.isReadable(DEV_FUSE) && Files.isWritable(DEV_FUSE))) {
            // fusermount3 opens /dev/fuse with the caller's rights; say so before it fails less clearly
            throw new MountOptionException("no permission to open " + DEV_FUSE + " (" + describe(DEV_FUSE)
                    + "): add the user to its group or make it rw for others");
        }
        if (o.passthrough && !Mounter.isRoot()) {
            throw new MountOptionException("option passthrough needs root (FUSE_DEV_IOC_BACKING_OPEN requires CAP_SYS_ADMIN)");
        }
        if (o.policy == null) {
            return PathPolicy.empty();
        }
        try {
            return PathPolicy.load(Path.of(o.policy));
        } catch (IOException e) {
            throw new MountOptionException(e.getMessage());
        }
    }

    /** The file system a mount with these options serves. */
    public static ArbitratedFs fileSystem(Path backing, MountOptions o, PathPolicy policy) throws IOException {
        ArbitratedFs fs = new ArbitratedFs(backing, new PassthroughFs.Options(seconds(o.entryTimeout), seconds(o.attrTimeout)),
                OpenPolicy.of(o, policy), o.watchSource);
        if (o.backendLatencyUs > 0) {
            // innermost: the "device" is slow; faults (if any) are decided before it is reached
            fs.interposeBackingIo(real -> new LatencyIo(real, o.backendLatencyUs));
        }
        FaultPlan faults = o.faultPlan();
        if (faults.enabled()) {
            // below ArbitratedFs: a failed backend call still releases its IO-mode grant and write lock
            fs.interposeBackingIo(real -> new FaultInjectingIo(real, faults));
        }
        return fs;
    }

    private static String describe(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                    + Files.getOwner(p).getName() + ":" + Files.readAttributes(p, PosixFileAttributes.class).group().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return Files.exists(p) ? "not accessible" : "missing";
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
