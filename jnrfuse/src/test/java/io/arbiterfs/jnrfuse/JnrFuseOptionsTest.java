package io.arbiterfs.jnrfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.arbitration.OpenPolicy.DirectIo;
import io.arbiterfs.daemon.mount.MountOptionException;
import io.arbiterfs.fuse.Feature;
import io.arbiterfs.jnrfuse.bridge.JnrFuseBridge;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.examples.MemoryFS;

class JnrFuseOptionsTest {
    private static JnrFuseOptions parse(String... lists) throws MountOptionException {
        return JnrFuseOptions.parse(List.of(lists));
    }

    @Test
    void aJnrFuseMountHasParallelDirectWritesOffUnlessAskedAndDirectIoPerOpenAndMmapOn() throws Exception {
        JnrFuseOptions none = parse();
        assertFalse(none.mount().parallelDio);
        assertEquals(DirectIo.AUTO, none.mount().dio);
        assertTrue(none.mount().allowMmap);
        assertEquals(JnrFuseOptions.LIBFUSE2_MAX_WRITE, none.maxWrite());
        assertTrue(parse("parallel_dio").mount().parallelDio);
        assertFalse(parse("parallel_dio,noparallel_dio").mount().parallelDio, "the last word wins, as in the daemon");
    }

    @Test
    void libfuse2OptionsMapOntoTheBridgeAndTheEngine() throws Exception {
        JnrFuseOptions o = parse("-o", "direct_io,big_writes,max_write=131072,max_read=131072,fsname=jnr",
                "-ohard_remove,use_ino", "umask=022,uid=7,gid=8,negative_timeout=2.5,attr_timeout=3,noforget");
        assertEquals(DirectIo.ALWAYS, o.mount().dio, "libfuse 2's direct_io: every open");
        assertEquals(131072, o.maxWrite());
        assertEquals("jnr", o.fsname());
        assertTrue(o.bridge().hardRemove());
        assertTrue(o.bridge().useIno());
        assertEquals(022, o.bridge().umask());
        assertEquals(7, o.bridge().uid());
        assertEquals(8, o.bridge().gid());
        assertEquals(Duration.ofMillis(2500), o.bridge().negativeTimeout());
        assertEquals(Duration.ofSeconds(3), o.bridge().attrTimeout());
        assertFalse(o.bridge().forget());
    }

    @Test
    void unknownUnsupportedAndMalformedOptionsAreErrorsNamingThem() {
        assertTrue(assertThrows(MountOptionException.class, () -> parse("paralel_dio")).getMessage().contains("paralel_dio"));
        assertTrue(assertThrows(MountOptionException.class, () -> parse("modules=subdir")).getMessage().contains("modules"));
        assertThrows(MountOptionException.class, () -> parse("passthrough"));
        assertThrows(MountOptionException.class, () -> parse("fault_rate=10"));
        assertThrows(MountOptionException.class, () -> parse("max_write=100"));
        assertThrows(MountOptionException.class, () -> parse("umask=999"));
        assertThrows(MountOptionException.class, () -> parse("hard_remove=1"));
        assertThrows(MountOptionException.class, () -> parse("-d"));
    }

    @Test
    void initAsksOnlyForWhatALibfuse2FileSystemCanLiveWith() throws Exception {
        JnrFuseBridge memoryFs = new JnrFuseBridge(Captures.of(new MemoryFS()), parse().bridge());
        assertEquals(Set.of(Feature.ASYNC_READ, Feature.BIG_WRITES, Feature.AUTO_INVAL_DATA, Feature.DIRECT_IO_ALLOW_MMAP),
                ArbiterJnrFuse.features(parse(), memoryFs));
        assertTrue(ArbiterJnrFuse.features(parse("parallel_dio"), memoryFs).contains(Feature.ASYNC_DIO));
        assertFalse(ArbiterJnrFuse.features(parse("noallow_mmap"), memoryFs).contains(Feature.DIRECT_IO_ALLOW_MMAP));
        assertFalse(ArbiterJnrFuse.features(parse("sync_read"), memoryFs).contains(Feature.ASYNC_READ));
        assertTrue(ArbiterJnrFuse.features(parse("max_write=1048576"), memoryFs).contains(Feature.MAX_PAGES));
        assertTrue(ArbiterJnrFuse.features(parse("atomic_o_trunc"), memoryFs).contains(Feature.ATOMIC_O_TRUNC));
    }
}
