package io.arbiterfs.testkit.sys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The daemon's status xattrs, parsed as the JSON they are. The attribute names are the daemon's published interface
 * (README, "Why is my file slow?"); this module cannot see the daemon's classes, so it names them itself.
 */
public final class Status {
    /** The IO-mode status of any file. */
    public static final String IOMODE_XATTR = "user.arbiterfs.iomode";
    /** The status of the whole mount, on its root. */
    public static final String STATUS_XATTR = "user.arbiterfs.status";
    /** Setting it on the root starts a new measurement of write concurrency ({@code writePeak}). */
    public static final String RESET_XATTR = "user.arbiterfs.reset_peak";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Status() {}

    /** The mount's status (the root's {@value #STATUS_XATTR}). */
    public static JsonNode mount(Path mountpoint) {
        return parse(Syscalls.xattr(mountpoint, STATUS_XATTR));
    }

    /** One file's IO-mode status ({@value #IOMODE_XATTR}). */
    public static JsonNode file(Path file) {
        return parse(Syscalls.xattr(file, IOMODE_XATTR));
    }

    /** The most WRITEs the daemon ran at once since the last {@link #resetWritePeak}. */
    public static int writePeak(Path mountpoint) {
        return mount(mountpoint).get("writePeak").asInt();
    }

    /** Starts a new measurement of the write peak. */
    public static void resetWritePeak(Path mountpoint) {
        int rc = Syscalls.setxattr(mountpoint, RESET_XATTR);
        if (rc != 0) {
            throw new AssertionError("setxattr " + RESET_XATTR + " on " + mountpoint + ": errno " + -rc);
        }
    }

    /** True when no file holds IO-mode state and no WRITE is in the daemon: what every closed workload leaves. */
    public static boolean idle(JsonNode mount) {
        return field(mount, "liveInodes").asInt() == 0 && field(mount, "writesInFlight").asInt() == 0;
    }

    /** A field that must be there (a renamed field fails the test instead of reading as 0). */
    public static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new AssertionError("status has no field '" + name + "': " + node);
        }
        return v;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("status is not JSON: " + json, e);
        }
    }
}
