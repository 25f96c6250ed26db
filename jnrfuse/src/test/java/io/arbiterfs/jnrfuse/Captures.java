package io.arbiterfs.jnrfuse;

import java.nio.file.Path;
import java.util.List;
import ru.serce.jnrfuse.AbstractFuseFS;

/** Test access to what {@code fuse_main_real} would capture, for driving the bridge without a mount. */
public final class Captures {
    private Captures() {}

    /** The capture of {@code fs} as mounted at {@code /mnt/test} with {@code options}, with a handler that serves nothing. */
    public static CapturedMount of(AbstractFuseFS fs, String... options) {
        MountArguments arguments = new MountArguments("test", Path.of("/mnt/test"), true, false, false,
                List.of(options), List.of());
        MountHandler idle = mount -> 0;
        return CapturedMount.register(new CapturedMount(fs, JnrFuseInternals.operationsOf(fs), arguments, null, idle));
    }
}
