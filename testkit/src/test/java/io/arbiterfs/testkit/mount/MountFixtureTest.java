package io.arbiterfs.testkit.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.FuseMount;
import io.arbiterfs.testkit.EmptyDirFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mount fixture: temp directories, the mount-table checks before and after, and cleanup. */
@Tag("mount")
class MountFixtureTest {
    @RegisterExtension
    final MountFixture<FuseMount> perTest = MountFixture.of((source, mnt) -> EmptyDirFs.mount(mnt));

    @Test
    void asAnExtensionItMountsOnAFreshDirectoryBesideSource() {
        assertTrue(Mountpoints.isMounted(perTest.mnt()));
        assertEquals(perTest.base().resolve("source"), perTest.source());
        assertEquals(perTest.base(), perTest.mnt().getParent());
        assertEquals(perTest.mnt().resolve("x"), perTest.file("x"));
    }

    @Test
    void openedByHandItIsGoneWithItsDirectoriesAfterClose() throws Exception {
        Path base;
        Path mnt;
        try (MountFixture<FuseMount> f = MountFixture.of((source, m) -> EmptyDirFs.mount(m)).mountpointAt("a/b").named("hand").open()) {
            base = f.base();
            mnt = f.mnt();
            assertEquals(base.resolve("a/b"), mnt);
            assertTrue(base.getFileName().toString().startsWith("hand-"), base.toString());
            assertTrue(Mountpoints.isMounted(mnt));
        }
        assertFalse(Mountpoints.isMounted(mnt));
        assertFalse(Files.exists(base), "temp directories removed");
    }

    @Test
    void aMounterThatMountsNothingIsAnError() {
        AtomicReference<Path> base = new AtomicReference<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MountFixture.of((source, mnt) -> {
                    base.set(source.getParent());
                    return () -> { };
                }).open());
        assertTrue(e.getMessage().contains("nothing is mounted"), e.getMessage());
        assertFalse(Files.exists(base.get()), "cleaned up after the failure");
    }

    @Test
    void aMountLeftAfterCloseIsAnErrorAndIsDetached() throws Exception {
        AtomicReference<Path> mountpoint = new AtomicReference<>();
        AtomicReference<FuseMount> served = new AtomicReference<>();
        MountFixture<AutoCloseable> f = MountFixture.of((source, mnt) -> {
            mountpoint.set(mnt);
            served.set(EmptyDirFs.mount(mnt));
            return () -> { }; // "closes" without unmounting
        }).open();
        try {
            IOException e = assertThrows(IOException.class, f::close);
            assertTrue(e.getMessage().contains("still in the mount table"), e.getMessage());
            assertFalse(Mountpoints.isMounted(mountpoint.get()), "detached");
        } finally {
            served.get().close(); // the session of the detached mount
        }
    }
}
