package io.arbiterfs.daemon.reliability;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * allow_other and default_permissions as libfuse has them, checked as a real second user
 * ({@value Proc#USER}); umask; and the suid/sgid kill on a non-owner's truncate. The cases
 * EdgeCasesTest already covers (reads and writes under default_permissions, a non-owner's write
 * and O_TRUNC clearing suid, ownership of created files) are not repeated.
 */
@Tag("mount")
class PermissionsTest {
    @BeforeAll
    static void user() {
        Proc.ensureTestUser();
    }

    static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Nested
    class WithoutAllowOther {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm();

        @Test
        void otherUsersCannotEvenStatTheMount() throws IOException {
            Files.writeString(fs.mnt().resolve("open-to-all"), "x");
            Files.setPosixFilePermissions(fs.mnt().resolve("open-to-all"), PosixFilePermissions.fromString("rw-rw-rw-"));
            Commands.Result r = Proc.asUser("stat '" + fs.mnt() + "'").exit(1);
            assertTrue(r.err().contains("Permission denied"), r.err());
            Proc.asUser("cat '" + fs.mnt().resolve("open-to-all") + "'").exit(1);
            Proc.asUser("echo x > '" + fs.mnt().resolve("new") + "'").exit(2);
            assertTrue(Files.notExists(fs.backing(fs.mnt().resolve("new"))));
        }
    }

    @Nested
    class SharedWithDefaultPermissions {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm("allow_other,default_permissions");

        @Test
        void createdModesAreNeverWiderThanRequestedUnderTheUmask() throws IOException {
            Path d = fs.dir("umask");
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
            Proc.asUser("cd '" + d + "' && umask 077 && touch u-f && mkdir u-d && mkfifo u-p && ln -s x u-l").ok();
            Proc.asUser("cd '" + d + "' && umask 022 && touch u-f022 && mkdir u-d022").ok();
            // umask 0 and an explicit mode: exactly the requested mode, nothing added
            Proc.asUser("cd '" + d + "' && umask 0 && perl -e 'use Fcntl; sysopen(F, \"u-0640\", O_CREAT|O_WRONLY, 0640) or die $!'").ok();
            Commands.sh("cd '" + d + "' && umask 027 && touch r-f && mkdir r-d").ok(); // root too
            assertEquals(0600, mode(fs.backing(d.resolve("u-f"))));
            assertEquals(0700, mode(fs.backing(d.resolve("u-d"))));
            assertEquals(0600, mode(fs.backing(d.resolve("u-p"))));
            assertEquals(0644, mode(fs.backing(d.resolve("u-f022"))));
            assertEquals(0755, mode(fs.backing(d.resolve("u-d022"))));
            assertEquals(0640, mode(fs.backing(d.resolve("u-0640"))));
            assertEquals(0640, mode(fs.backing(d.resolve("r-f"))));
            assertEquals(0750, mode(fs.backing(d.resolve("r-d"))));
            assertEquals(Proc.uid(), (int) Files.getAttribute(fs.backing(d.resolve("u-f")), "unix:uid"));
        }

        @Test
        void nonOwnerTruncateClearsSetuidAndSetgid() throws IOException {
            Path f = Files.writeString(fs.dir("kill").resolve("f"), "#!/bin/sh\n");
            Commands.run("chmod", "6777", f.toString()).ok();
            Proc.asUser("truncate -s 3 '" + f + "'").ok(); // SETATTR(size) with FATTR_KILL_SUIDGID
            assertEquals(0777, mode(fs.backing(f)), "a non-owner's truncate must clear S_ISUID and S_ISGID");
            assertEquals(3, Files.size(fs.backing(f)));
            // setgid without group-exec is not a privilege bit: it stays, as in the kernel
            Commands.run("chmod", "2766", f.toString()).ok();
            Proc.asUser("echo x >> '" + f + "'").ok();
            assertEquals(02766, mode(fs.backing(f)));
        }

        @Test
        void otherUsersCannotChangeWhatTheyDoNotOwn() throws IOException {
            Path f = Files.writeString(fs.dir("owned").resolve("f"), "root's");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
            Proc.asUser("chmod 777 '" + f + "'").exit(1);
            Proc.asUser("chown " + Proc.USER + " '" + f + "'").exit(1);
            Proc.asUser("touch -d 2001-01-01 '" + f + "'").exit(1); // explicit times need ownership
            assertEquals(0666, mode(fs.backing(f)));
            assertEquals(0, (int) Files.getAttribute(fs.backing(f), "unix:uid"));
        }
    }

    /**
     * allow_other without default_permissions: as with libfuse, the kernel leaves permission checks
     * to the daemon, and a root passthrough daemon opens with its own rights, so modes are not
     * enforced. The README says to pair the two options; this test pins the behaviour down so a
     * change to it is noticed.
     */
    @Nested
    class AllowOtherAlone {
        @RegisterExtension
        final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm("allow_other");

        @Test
        void modesAreNotEnforcedLikeLibfusePassthrough() throws IOException {
            Path f = Files.writeString(fs.dir("open").resolve("secret"), "s");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            assertEquals("s", Proc.asUser("cat '" + f + "'").ok().out());
        }
    }
}
