package io.arbiterfs.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.daemon.mount.MountOptionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MS_* flags a remount asks mount(2) for. */
class RemountTest {
    private static final String CURRENT = "rw,nosuid,nodev,relatime,user_id=0,group_id=0,default_permissions,allow_other";

    private static long flags(String given) throws MountOptionException {
        return Remount.flags(CURRENT, List.of(given.split(",")));
    }

    @Test
    void mount8sRemountListGivesTheCurrentFlagsWithTheChange() throws MountOptionException {
        long f = flags("ro,nosuid,nodev,relatime,remount,user_id=0,group_id=0,default_permissions,allow_other");
        assertEquals(Remount.MS_RDONLY | Remount.MS_NOSUID | Remount.MS_NODEV | Remount.MS_RELATIME, f);
    }

    @Test
    void byHandTheOtherFlagsStayAndLaterOptionsWin() throws MountOptionException {
        assertEquals(Remount.MS_RDONLY | Remount.MS_NOSUID | Remount.MS_NODEV | Remount.MS_RELATIME, flags("remount,ro"));
        assertEquals(Remount.MS_NODEV | Remount.MS_RELATIME, flags("remount,suid"));
        assertEquals(Remount.MS_NOSUID | Remount.MS_NODEV | Remount.MS_NOATIME, flags("remount,noatime"), "one atime mode at a time");
        assertEquals(Remount.MS_NOSUID | Remount.MS_NODEV | Remount.MS_STRICTATIME, flags("remount,noatime,strictatime"));
        assertEquals(Remount.MS_NOSUID | Remount.MS_NODEV | Remount.MS_RELATIME, flags("remount,ro,rw"));
    }

    @Test
    void fixedFuseOptionsMayBeRepeatedButNotChanged() throws MountOptionException {
        flags("remount,rw,allow_other,user_id=0");
        MountOptionException e = assertThrows(MountOptionException.class, () -> flags("remount,user_id=1000"));
        assertTrue(e.getMessage().contains("user_id=1000 cannot be changed by a remount"), e.getMessage());
        assertThrows(MountOptionException.class, () -> Remount.flags("rw,relatime,user_id=0,group_id=0", List.of("remount", "allow_other")));
    }

    @Test
    void daemonOptionsAreCheckedAndUnknownOnesRefused() throws MountOptionException {
        flags("remount,ro,dio=always,max_threads=4"); // the running daemon keeps its own
        MountOptionException e = assertThrows(MountOptionException.class, () -> flags("remount,dio=sometimes"));
        assertTrue(e.getMessage().contains("dio"), e.getMessage());
        assertThrows(MountOptionException.class, () -> flags("remount,bogus"));
    }

    @Test
    void remountIsRecognizedInAnyOptionString() {
        assertTrue(Remount.requested(List.of("rw,allow_other", "remount,ro")));
        assertFalse(Remount.requested(List.of("rw,remountx")));
    }
}
