package io.arbiterfs.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbiterfs.daemon.status.StatusXattrs;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The daemon's status xattrs, parsed as the JSON they are. */
public final class Status {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Status() {}

    /** The mount's status (the root's {@value StatusXattrs#STATUS_XATTR}). */
    public static JsonNode mount(Path mountpoint) {
        return parse(Syscalls.xattr(mountpoint, StatusXattrs.STATUS_XATTR));
    }

    /** One file's IO-mode status ({@value StatusXattrs#IOMODE_XATTR}). */
    public static JsonNode file(Path file) {
        return parse(Syscalls.xattr(file, StatusXattrs.IOMODE_XATTR));
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("status is not JSON: " + json, e);
        }
    }
}
