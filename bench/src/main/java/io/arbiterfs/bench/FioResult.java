package io.arbiterfs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The numbers taken from one fio JSON report: IOPS, bandwidth and p99 completion latency of the
 * reported group (read + write summed; p99 the larger of the two directions that did IO), and the
 * bytes and IOs of all groups (for the daemon's CPU per GiB and the ring's CQEs per IO).
 */
public record FioResult(double iops, double bytesPerSecond, double p99Micros, long bytesMoved, long ios, String error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean ok() {
        return error == null;
    }

    public static FioResult failed(String error) {
        return new FioResult(0, 0, 0, 0, 0, error);
    }

    /** Parses fio's {@code --output-format=json} report; {@code group} is the reported fio group. */
    public static FioResult parse(String json, int group) throws IOException {
        // fio may print notes before the JSON object
        int start = json.indexOf('{');
        if (start < 0) {
            return failed("no JSON in fio's output");
        }
        JsonNode root = JSON.readTree(json.substring(start));
        double iops = 0;
        double bw = 0;
        double p99 = 0;
        long bytes = 0;
        long ios = 0;
        for (JsonNode job : root.path("jobs")) {
            if (job.path("error").asInt(0) != 0) {
                int e = job.path("error").asInt();
                return failed("fio job " + job.path("jobname").asText() + ": errno " + e + (e == 19 ? " ENODEV (MAP_SHARED refused)" : ""));
            }
            for (String dir : new String[] {"read", "write"}) {
                JsonNode d = job.path(dir);
                long io = d.path("io_bytes").asLong(0);
                bytes += io;
                ios += d.path("total_ios").asLong(0);
                if (job.path("groupid").asInt(0) != group || io == 0) {
                    continue;
                }
                iops += d.path("iops").asDouble(0);
                bw += d.path("bw_bytes").asDouble(0);
                JsonNode pct = d.path("clat_ns").path("percentile");
                JsonNode v = pct.path("99.000000");
                if (v.isMissingNode()) {
                    v = pct.path("99.00");
                }
                p99 = Math.max(p99, v.asDouble(0) / 1000.0);
            }
        }
        if (bytes == 0) {
            return failed("fio moved no data");
        }
        return new FioResult(iops, bw, p99, bytes, ios, null);
    }
}
