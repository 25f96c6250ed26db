package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.arbitration.OpenPolicy;
import io.arbiterfs.daemon.mount.MountOptions;
import java.util.Optional;

/**
 * What the harness knows about the mount's options, so a test can tell an expected refusal (e.g.
 * MAP_SHARED on a direct-IO file without allow_mmap) from a bug. Empty for a mount the harness did
 * not make ({@code --mount DIR}): tests then probe and report what they find.
 */
public record MountFacts(Optional<MountOptions> options) {
    public static MountFacts unknown() {
        return new MountFacts(Optional.empty());
    }

    public static MountFacts of(MountOptions o) {
        return new MountFacts(Optional.of(o));
    }

    /**
     * True when every open is a direct-IO open and MAP_SHARED is not negotiated: shared maps must
     * fail. Not on a passthrough mount: its opens carry FOPEN_PASSTHROUGH, and the kernel maps the
     * backing file.
     */
    public boolean sharedMmapRefused() {
        return options.map(o -> o.dio == OpenPolicy.DirectIo.ALWAYS && !o.allowMmap && !o.passthrough).orElse(false);
    }

    /**
     * True when MAP_SHARED of an O_DIRECT-opened file must fail: O_DIRECT opens get FOPEN_DIRECT_IO
     * (dio=auto or always) and FUSE_DIRECT_IO_ALLOW_MMAP is not negotiated, on a mount without passthrough.
     * 095's job9 does exactly that.
     */
    public boolean directMmapRefused() {
        return options.map(o -> o.dio != OpenPolicy.DirectIo.NEVER && !o.allowMmap && !o.passthrough).orElse(false);
    }

    public String describe() {
        return options.map(MountOptions::render).orElse("options unknown (existing mount)");
    }
}
