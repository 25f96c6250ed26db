package io.arbiterfs.jnrfuse;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@link MountHandler} of the child JVMs in {@code UnmodifiedProgramTest}: instead of mounting, it runs
 * {@link CallbackProbe} on what {@code fuse_main_real} captured and writes the results to the file named by
 * {@code -Darbiterfs.probe.out}, then returns 0 (an unmount), so the program's {@code mount()} returns.
 */
public final class ProbeMountHandler implements MountHandler {
    @Override
    public int serve(CapturedMount mount) throws Exception {
        Properties results = new Properties();
        results.putAll(new CallbackProbe(mount).run());
        try (OutputStream out = Files.newOutputStream(Path.of(System.getProperty("arbiterfs.probe.out")))) {
            results.store(out, "CallbackProbe");
        }
        return 0;
    }
}
