package io.arbiterfs.harness.xfstests;

import io.arbiterfs.harness.io.Tools;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What a real xfstests run needs from the machine: Debian packages and the users xfstests expects. */
public final class Prerequisites {
    /** Build and run dependencies of xfstests (its README), plus fio, fuse3 and e2fsprogs for the backing file systems. */
    public static final List<String> PACKAGES = List.of("xfslibs-dev", "uuid-dev", "libtool-bin", "e2fsprogs", "automake",
            "gcc", "make", "libacl1-dev", "libattr1-dev", "libgdbm-dev", "libgdbm-compat-dev", "gawk", "uuid-runtime",
            "libcap-dev", "libinih-dev", "liburcu-dev", "libssl-dev", "libaio-dev", "liburing-dev", "bc", "psmisc", "acl",
            "attr", "xfsprogs", "fio", "fuse3");

    /** The users (and group) xfstests' tests run as: {@code _require_user}, {@code _require_group}. */
    public static final List<String> USERS = List.of("fsgqa", "123456-fsgqa", "fsgqa2");

    private Prerequisites() {}

    /** Installs the missing packages with apt-get (as root); an error names what is missing otherwise. */
    public static void ensurePackages(Consumer<String> out) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String p : PACKAGES) {
            Tools.Result r = Tools.run(List.of("dpkg-query", "-W", "-f=${Status}", p), null, Duration.ofSeconds(30));
            if (r.status() != 0 || !r.stdout().contains("install ok installed")) {
                missing.add(p);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (!Tools.onPath("apt-get")) {
            throw new IOException("missing packages: " + String.join(" ", missing) + " (install them; apt-get is not here)");
        }
        out.accept("PACKAGES      -- installing " + String.join(" ", missing));
        Tools.Result update = Tools.run(List.of("apt-get", "update", "-qq"), null, Duration.ofMinutes(10));
        if (update.status() != 0) {
            throw new IOException("apt-get update failed: " + update.stderr().strip());
        }
        List<String> cmd = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq"));
        cmd.addAll(missing);
        Tools.Result install = Tools.run(cmd, null, Duration.ofMinutes(30));
        if (install.status() != 0) {
            throw new IOException("apt-get install " + String.join(" ", missing) + " failed: " + install.stderr().strip());
        }
    }

    /** Creates fsgqa, 123456-fsgqa and fsgqa2 (each with its own group) where missing, as xfstests' README says. */
    public static void ensureUsers(Consumer<String> out) throws IOException {
        for (String u : USERS) {
            if (Tools.run(List.of("getent", "passwd", u), null, Duration.ofSeconds(30)).status() == 0) {
                continue;
            }
            Tools.Result r = Tools.run(List.of("useradd", "-m", "-U", u), null, Duration.ofMinutes(1));
            if (r.status() != 0) {
                throw new IOException("useradd " + u + " failed: " + r.stderr().strip());
            }
            out.accept("USERS         -- created " + u);
        }
    }
}
