package io.arbiterfs.jnrfuse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.FuseException;
import ru.serce.jnrfuse.examples.HelloFuse;
import ru.serce.jnrfuse.struct.FuseContext;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaLibFuseTest {
    @AfterEach
    void noHandler() {
        System.clearProperty(MountHandler.HANDLER_PROPERTY);
    }

    @Test
    void eachThreadHasItsOwnContextAndKeepsGettingTheSameObject() throws Exception {
        HelloFuse fs = new HelloFuse();
        JnrFuseContext.enter(null, null, 1, 2, 3, 0);
        FuseContext mine = fs.getContext();
        AtomicReference<FuseContext> theirs = new AtomicReference<>();
        CompletableFuture.runAsync(() -> {
            JnrFuseContext.enter(null, null, 100, 200, 300, 077);
            theirs.set(fs.getContext());
            assertEquals(100, theirs.get().uid.get());
        }).get();
        assertNotSame(mine, theirs.get());
        assertSame(mine, fs.getContext());
        assertEquals(1, fs.getContext().uid.get());
        assertEquals(3, fs.getContext().pid.get());
    }

    public static final class Recording implements MountHandler {
        static final AtomicReference<CapturedMount> last = new AtomicReference<>();

        @Override
        public int serve(CapturedMount mount) {
            last.set(mount);
            return 0;
        }
    }

    @Test
    void mountReachesTheNamedHandlerWithTheFileSystemAndItsOptions(@TempDir Path mountPoint) {
        System.setProperty(MountHandler.HANDLER_PROPERTY, Recording.class.getName());
        HelloFuse fs = new HelloFuse();
        fs.mount(mountPoint, true, false, new String[]{"-o", "ro,parallel_dio"});
        CapturedMount mount = Recording.last.get();
        assertSame(fs, mount.fileSystem());
        assertEquals(mountPoint.toAbsolutePath(), mount.arguments().mountPoint());
        assertTrue(mount.arguments().foreground()); // jnr-fuse always passes -f
        assertEquals(java.util.List.of("ro", "parallel_dio"), mount.arguments().options());
        assertEquals(null, CapturedMount.byHandle(mount.fuseHandle().address()), "unregistered once served");
    }

    @Test
    void withoutAUsableHandlerMountFailsTheWayJnrFuseReportsLibfuseFailures(@TempDir Path mountPoint) {
        System.setProperty(MountHandler.HANDLER_PROPERTY, String.class.getName()); // not a MountHandler
        FuseException notAHandler = assertThrows(FuseException.class, () -> new HelloFuse().mount(mountPoint, true, false));
        assertTrue(notAHandler.getCause().getMessage().contains("return code = 1"), notAHandler.getCause().getMessage());
        System.setProperty(MountHandler.HANDLER_PROPERTY, "no.such.Handler");
        assertThrows(FuseException.class, () -> new HelloFuse().mount(mountPoint, true, false));
    }

    @Test
    void withoutThePropertyTheJarsOwnServiceServesTheMount() throws Exception {
        assertTrue(JavaLibFuse.findHandler() instanceof ArbiterMountHandler, "META-INF/services names ArbiterMountHandler");
    }
}
