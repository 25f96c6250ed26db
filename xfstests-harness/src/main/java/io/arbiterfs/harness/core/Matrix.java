package io.arbiterfs.harness.core;

import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The option combinations that change how the kernel does IO on the mount: who gets
 * FOPEN_DIRECT_IO (dio=auto|always), parallel direct writes on or off, FUSE_DIRECT_IO_ALLOW_MMAP on
 * or off, and passthrough on or off. A combination whose options the daemon does not accept yet is
 * kept in the matrix and reported not run, so the gap stays visible.
 */
public final class Matrix {
    /** One combination; {@code unavailable} is why it cannot be mounted (null when it can). */
    public record Combination(List<String> options, String unavailable) {
        public String section() {
            return String.join(",", options);
        }
    }

    private Matrix() {}

    public static List<Combination> combinations(List<String> extraOptions) {
        List<Combination> out = new ArrayList<>();
        for (String pt : List.of("nopassthrough", "passthrough")) {
            for (String dio : List.of("dio=auto", "dio=always")) {
                for (String par : List.of("parallel_dio", "noparallel_dio")) {
                    for (String mmap : List.of("allow_mmap", "noallow_mmap")) {
                        List<String> opts = new ArrayList<>(List.of(dio, par, mmap));
                        if (pt.equals("passthrough")) {
                            opts.add(pt);
                        }
                        out.add(new Combination(opts, unavailable(opts, extraOptions, pt)));
                    }
                }
            }
        }
        return out;
    }

    private static String unavailable(List<String> opts, List<String> extra, String pt) {
        if (pt.equals("passthrough")) {
            try {
                MountOptions.parse(List.of("passthrough"));
            } catch (MountOptionException e) {
                return "passthrough option not available";
            }
        }
        List<String> all = new ArrayList<>(opts);
        all.addAll(extra);
        try {
            MountOptions.parse(all);
            return null;
        } catch (MountOptionException e) {
            return "options not accepted: " + e.getMessage();
        }
    }
}
