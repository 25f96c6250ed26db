package io.arbiterfs.daemon.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.arbitration.OpenPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The product's {@code -o} options: strict, and re-rendered for the background run without loss. */
class MountOptionsTest {
    @Test
    void renderParsesBackToTheSameOptions() throws Exception {
        MountOptions o = MountOptions.parse(List.of("rw,allow_other,dio=always,noparallel_dio", "max_threads=3,nowatch_source"));
        MountOptions again = MountOptions.parse(List.of(o.render()));
        assertEquals(o.render(), again.render());
        assertEquals(OpenPolicy.DirectIo.ALWAYS, again.dio);
        assertEquals(3, again.maxThreads);
        assertTrue(again.allowOther && !again.parallelDio && !again.watchSource);
    }

    /** The fault-injection test aids live in the testkit (FaultOptions); the product refuses them like any typo. */
    @Test
    void testAidsAreNotProductOptions() {
        for (String aid : List.of("fault_rate=100", "fault_errnos=EIO", "fault_short_writes", "fault_delay_ms=5",
                "fault_seed=1", "backend_latency_us=1000")) {
            MountOptionException e = assertThrows(MountOptionException.class, () -> MountOptions.parse(List.of("rw," + aid)));
            assertEquals("unknown mount option '" + aid + "'", e.getMessage());
        }
    }
}
