package io.arbiterfs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.FileSystem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection options parse strictly, are off by default, survive a re-render, and leave every other option to
 * the daemon.
 */
class FaultOptionsTest {
    @Test
    void offByDefaultAndEverythingElseIsLeftAlone() {
        FaultOptions o = FaultOptions.parse(List.of("rw,dio=always", "max_threads=3"));
        assertFalse(o.enabled());
        assertEquals("", o.render());
        assertEquals(List.of("rw,dio=always", "max_threads=3"), o.remaining());
        FileSystem<Object, Object> fs = new FileSystem<>() {};
        assertSame(fs, o.wrap(fs), "no layer without options");
    }

    @Test
    void allOptionsParseAndRenderBackToTheSamePlan() {
        FaultOptions o = FaultOptions.parse(List.of(
                "dio=auto,fault_rate=25,fault_errnos=EIO:ENOSPC:EINTR,fault_short_writes,fault_delay_ms=3,fault_seed=-9,backend_latency_us=7"));
        assertEquals(new FaultPlan(25, List.of("EIO", "ENOSPC", "EINTR"), true, 3, -9), o.plan());
        assertEquals(7, o.latencyUs());
        assertEquals(List.of("dio=auto"), o.remaining());
        FaultOptions again = FaultOptions.parse(List.of(o.render()));
        assertEquals(o.plan(), again.plan(), "a re-render keeps the plan");
        assertEquals(7, again.latencyUs());
        assertTrue(FaultOptions.parse(List.of("fault_delay_ms=10")).plan().enabled(), "a delay alone is a plan");
        assertTrue(FaultOptions.parse(List.of("backend_latency_us=1")).enabled(), "a latency alone is a layer");
    }

    @Test
    void latencyIsInnermostAndFaultsAreDecidedAboveIt() {
        FileSystem<Object, Object> fs = new FileSystem<>() {};
        FileSystem<Object, Object> wrapped = FaultOptions.parse(List.of("fault_rate=1,backend_latency_us=5")).wrap(fs);
        assertInstanceOf(FaultInjection.class, wrapped);
        assertInstanceOf(BackendLatency.class, FaultOptions.parse(List.of("backend_latency_us=5")).wrap(fs));
    }

    @Test
    void badValuesAreErrorsNamingTheOption() {
        for (String bad : List.of("fault_rate=1001", "fault_rate=-1", "fault_rate=x", "fault_rate",
                "fault_errnos=EIO:BOGUS", "fault_errnos=EIO:EBOGUS", "fault_errnos=", "fault_errnos=EIO::ENOSPC",
                "fault_short_writes=1", "fault_delay_ms=60001", "fault_seed=1.5", "fault_ratio=3",
                "backend_latency_us", "backend_latency_us=-1", "backend_latency_us=x", "backend_latency_us=10000001")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FaultOptions.parse(List.of("rw," + bad)), bad);
            assertTrue(e.getMessage().contains(bad.contains("=") ? bad.substring(0, bad.indexOf('=')) : bad), e.getMessage());
        }
    }

    @Test
    void aCommandLineLosesOnlyItsFaultOptions() {
        FaultOptions.CommandLine c = FaultOptions.split(List.of("mount", "-f", "--notify-ready", "SRC", "MNT",
                "-o", "dio=always,fault_rate=150", "-o", "fault_seed=7", "-oallow_mmap,backend_latency_us=9"));
        assertEquals(List.of("mount", "-f", "--notify-ready", "SRC", "MNT", "-o", "dio=always", "-o", "allow_mmap"), c.args());
        assertEquals(150, c.faults().plan().ratePermille());
        assertEquals(7, c.faults().plan().seed());
        assertEquals(9, c.faults().latencyUs());
        assertEquals(List.of("example", "memory", "MNT"), FaultOptions.split(List.of("example", "memory", "MNT")).args());
    }
}
