package io.arbiterfs.daemon.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.faults.FaultPlan;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.daemon.mount.MountOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault-injection options parse strictly, are off by default, and survive a re-render. */
class FaultOptionsTest {
    @Test
    void offByDefault() throws Exception {
        MountOptions o = MountOptions.parse(List.of("rw"));
        assertFalse(o.faultPlan().enabled());
        assertFalse(o.render().contains("fault"), o.render());
    }

    @Test
    void allOptionsParseAndRenderBackToTheSamePlan() throws Exception {
        MountOptions o = MountOptions.parse(List.of(
                "fault_rate=25,fault_errnos=EIO:ENOSPC:EINTR,fault_short_writes,fault_delay_ms=3,fault_seed=-9"));
        FaultPlan p = o.faultPlan();
        assertEquals(new FaultPlan(25, List.of("EIO", "ENOSPC", "EINTR"), true, 3, -9), p);
        assertEquals(p, MountOptions.parse(List.of(o.render())).faultPlan(), "background re-run keeps the plan");
        assertTrue(MountOptions.parse(List.of("fault_delay_ms=10")).faultPlan().enabled(), "a delay alone is a plan");
    }

    @Test
    void badValuesAreErrorsNamingTheOption() {
        for (String bad : List.of("fault_rate=1001", "fault_rate=-1", "fault_rate=x", "fault_rate",
                "fault_errnos=EIO:BOGUS", "fault_errnos=", "fault_errnos=EIO::ENOSPC", "fault_short_writes=1",
                "fault_delay_ms=60001", "fault_seed=1.5")) {
            MountOptionException e = assertThrows(MountOptionException.class, () -> MountOptions.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().contains(bad.contains("=") ? bad.substring(0, bad.indexOf('=')) : bad), e.getMessage());
        }
    }
}
