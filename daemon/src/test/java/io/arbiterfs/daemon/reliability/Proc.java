package io.arbiterfs.daemon.reliability;

import io.arbiterfs.testkit.sys.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Running tools as the unprivileged test user (commands in general: {@link Commands}). */
final class Proc {
    /** The unprivileged user the tests run tools as (.ci/run creates it; {@link #ensureTestUser} otherwise). */
    static final String USER = "arbiterfs-test";

    private Proc() {}

    /** {@code sh -c script} as {@link #USER}, with no supplementary groups and umask as given. */
    static Commands.Result asUser(String script) {
        return Commands.run(Duration.ofSeconds(90), asUserCommand("sh", "-c", script));
    }

    static List<String> asUserCommand(String... cmd) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + uid(), "--regid=" + gid(), "--clear-groups"));
        c.addAll(List.of(cmd));
        return c;
    }

    /** Creates {@link #USER} if it does not exist (we run as root; CI creates it up front). */
    static synchronized void ensureTestUser() {
        if (Commands.run("id", "-u", USER).exit() != 0) {
            Commands.run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER).ok();
        }
    }

    static int uid() {
        ensureTestUser();
        return Integer.parseInt(Commands.run("id", "-u", USER).ok().out().strip());
    }

    static int gid() {
        ensureTestUser();
        return Integer.parseInt(Commands.run("id", "-g", USER).ok().out().strip());
    }
}
