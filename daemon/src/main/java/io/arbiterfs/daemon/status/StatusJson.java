package io.arbiterfs.daemon.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/** The status model as the JSON the status xattrs carry and {@code arbiterfs status --json} prints. */
public final class StatusJson {
    private static final ObjectWriter WRITER = new ObjectMapper().writer();

    private StatusJson() {}

    public static String render(Object model) {
        try {
            return WRITER.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status model not serializable", e);
        }
    }
}
