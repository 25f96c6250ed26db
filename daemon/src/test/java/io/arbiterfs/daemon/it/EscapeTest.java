package io.arbiterfs.daemon.it;

import io.arbiterfs.daemon.ArbiterDaemon;
import io.arbiterfs.daemon.testing.Daemons;
import io.arbiterfs.testkit.mount.MountFixture;
import io.arbiterfs.testkit.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing outside SOURCE is reachable through the daemon.
 *
 * <p>Symlinks are resolved by the client's kernel, so a link leading out of the mount is the
 * client's own business. What the daemon controls is that it never resolves a link itself. The
 * layout makes the two resolutions land in different places: SOURCE is {@code base/source} and
 * the mountpoint {@code base/m/n/mnt}, so a link {@code ../sentinel} at the top of the mount means
 * {@code base/m/n/sentinel} (absent) to the client but {@code base/sentinel} (a trap directory) to
 * anything resolving it daemon-side. The trap must stay untouched, and nothing outside SOURCE may
 * change, whatever the client does.
 */
@Tag("mount")
class EscapeTest {
    @RegisterExtension
    static final MountFixture<ArbiterDaemon.Running> fs = Daemons.inJvm().mountpointAt("m/n/mnt");

    private static final FileTime TRAP_TIME = FileTime.fromMillis(1_000_000_000_000L);
    private Path trap;

    @BeforeEach
    void trap() throws IOException {
        trap = fs.base().resolve("sentinel");
        if (!Files.exists(trap)) {
            Files.createDirectory(trap);
            Files.setPosixFilePermissions(trap, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setLastModifiedTime(trap, TRAP_TIME);
        }
    }

    /** Every path under base except SOURCE's and the mount's contents, with size and mtime. */
    private static Set<String> outside() throws IOException {
        Path base = fs.base();
        Set<String> seen = new TreeSet<>();
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                if (dir.equals(fs.source()) || dir.equals(fs.mnt())) {
                    seen.add(base.relativize(dir) + " (not compared)");
                    return FileVisitResult.SKIP_SUBTREE;
                }
                seen.add(base.relativize(dir) + " d " + a.lastModifiedTime().toMillis());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                seen.add(base.relativize(f) + " f " + a.size());
                return FileVisitResult.CONTINUE;
            }
        });
        return seen;
    }

    private void assertTrapUntouched() throws IOException {
        try (Stream<Path> s = Files.list(trap)) {
            assertEquals(List.of(), s.toList(), "something was created in the trap outside SOURCE");
        }
        assertEquals(0, (int) Files.getAttribute(trap, "unix:uid"), "trap owner changed");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(trap)), "trap mode changed");
        assertEquals(TRAP_TIME, Files.getLastModifiedTime(trap), "trap mtime changed");
        assertFalse(Files.exists(fs.mnt().resolveSibling("sentinel"), LinkOption.NOFOLLOW_LINKS),
                "the client-side target must not appear either");
    }

    @Test
    void escapingSymlinkInSourceIsReturnedAsTextOnly() throws IOException {
        Path dir = fs.dir("esc");
        Files.createSymbolicLink(fs.backing(dir).resolve("escape"), Path.of("../../.."));
        Path link = dir.resolve("escape");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(Path.of("../../.."), Files.readSymbolicLink(link));
        assertEquals("../../..", Commands.run("readlink", link.toString()).ok().out().strip());
        assertEquals("symbolic link 8", Commands.run("stat", "-c", "%F %s", link.toString()).ok().out().strip(),
                "lstat of the link must describe the link, not what it points to");
        // ls -l of the directory (READDIRPLUS attributes) shows it as a link, too
        assertTrue(Commands.run("ls", "-l", dir.toString()).ok().out().contains("escape -> ../../.."));
    }

    @Test
    void symlinkLoopBackIntoTheMountIsResolvedByTheKernelInsideSource() throws IOException {
        Set<String> before = outside();
        Path a = fs.dir("a");
        Commands.run("ln", "-s", "..", a.resolve("up").toString()).ok();
        // a/up -> MNT, a/up/a -> MNT/a, ... : the kernel walks back into the mount each time
        Commands.run("touch", a.resolve("up/a/up/zzz").toString()).ok();
        assertTrue(Files.isRegularFile(fs.source().resolve("zzz")), "zzz belongs at the SOURCE root");
        // one more 'up' than exists inside the mount leaves it on the client side: ENOENT there
        Commands.run("touch", a.resolve("up/up/zzz2").toString()).exit(1);
        assertEquals(before, outside());
        assertTrapUntouched();
    }

    @Test
    void operationsOnALinkNeverReachItsTarget() throws IOException {
        Set<String> before = outside();
        Path lnk = fs.mnt().resolve("lnk");
        Files.createSymbolicLink(lnk, Path.of("../sentinel"));
        assertEquals(Path.of("../sentinel"), Files.readSymbolicLink(fs.backing(lnk)));

        // following it on the client leads to base/m/n/sentinel, which does not exist
        Commands.run("touch", lnk.resolve("x").toString()).exit(1);
        Commands.run("mkdir", lnk.resolve("y").toString()).exit(1);
        Commands.run("ls", lnk + "/").exit(2);

        // -h operations act on the link node itself
        Commands.run("chown", "-h", "4321:4321", lnk.toString()).ok();
        assertEquals(4321, (int) Files.getAttribute(fs.backing(lnk), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        Commands.run("env", "TZ=UTC", "touch", "-h", "-d", "2001-01-01 00:00:00", lnk.toString()).ok();
        assertEquals(FileTime.from(java.time.Instant.parse("2001-01-01T00:00:00Z")),
                Files.getLastModifiedTime(fs.backing(lnk), LinkOption.NOFOLLOW_LINKS), "the link's own mtime");
        Commands.run("setfattr", "-h", "-n", "user.evil", "-v", "1", lnk.toString()).exit(1); // no user xattrs on links
        assertFalse(Commands.run("getfattr", "-d", trap.toString()).out().contains("user.evil"));
        Commands.run("setfattr", "-h", "-n", "trusted.evil", "-v", "1", lnk.toString()); // may succeed on the link itself
        assertFalse(Commands.run("getfattr", "-d", "-m", "-", trap.toString()).out().contains("evil"),
                "an xattr set on the link must not land on its target");

        // a hard link of the link is another link, not a link of the target (a directory: EPERM)
        Commands.run("ln", "-P", lnk.toString(), fs.mnt().resolve("lnk2").toString()).ok();
        assertEquals(Path.of("../sentinel"), Files.readSymbolicLink(fs.source().resolve("lnk2")));

        // renaming and removing the link leaves the trap alone
        Commands.run("mv", lnk.toString(), fs.mnt().resolve("lnk3").toString()).ok();
        Commands.run("rm", fs.mnt().resolve("lnk3").toString(), fs.mnt().resolve("lnk2").toString()).ok();
        assertFalse(Files.exists(fs.source().resolve("lnk3"), LinkOption.NOFOLLOW_LINKS));

        assertEquals(before, outside());
        assertTrapUntouched();
    }

    /**
     * One thread keeps swapping a directory for a symlink {@code ../sentinel} and back while
     * others create, mkdir, rename into, link into and list that directory through the mount. A
     * daemon that resolved paths from the source root would sometimes follow the link into the
     * trap; one that works from the directory it was asked about never can.
     */
    @Test
    @Timeout(60)
    void swappingADirectoryForAnEscapingSymlinkDuringOperationsReachesNothingOutside() throws Exception {
        Set<String> before = outside();
        Path race = fs.dir("race");
        Path old = fs.mnt().resolve("race.old");
        Path hardSrc = Files.writeString(fs.mnt().resolve("hard-src"), "h");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        AtomicLong successes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs2 = new ArrayList<>();
            fs2.add(pool.submit(() -> {
                while (!stop.get()) {
                    Files.move(race, old);
                    Files.createSymbolicLink(race, Path.of("../sentinel"));
                    Thread.onSpinWait();
                    Files.delete(race);
                    Files.move(old, race);
                    swaps.incrementAndGet();
                }
                return null;
            }));
            for (int t = 0; t < 3; t++) {
                int id = t;
                fs2.add(pool.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            switch (i % 6) {
                                case 0 -> Files.createFile(race.resolve("f-" + id + "-" + i));
                                case 1 -> Files.createDirectory(race.resolve("d-" + id + "-" + i));
                                case 2 -> Files.writeString(race.resolve("w-" + id + "-" + i), "data", StandardCharsets.UTF_8);
                                case 3 -> Files.move(Files.createFile(fs.mnt().resolve("mv-" + id + "-" + i)),
                                        race.resolve("m-" + id + "-" + i));
                                case 4 -> Files.createLink(race.resolve("l-" + id + "-" + i), hardSrc);
                                default -> {
                                    try (Stream<Path> s = Files.list(race)) {
                                        s.count();
                                    }
                                }
                            }
                            successes.incrementAndGet();
                        } catch (IOException expected) {
                            // the name was a symlink (or missing) at that moment: the client gets an error
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(3000);
            stop.set(true);
            for (Future<?> f : fs2) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertTrue(swaps.get() > 10, "the swapper made progress: " + swaps.get());
        assertTrue(successes.get() > 100, "the workers made progress: " + successes.get());
        assertEquals(before, outside(), "nothing outside SOURCE and the mount may change");
        assertTrapUntouched();
        // whatever succeeded is inside SOURCE
        assertTrue(Files.isDirectory(fs.source().resolve("race"), LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> s = Files.list(fs.source().resolve("race"))) {
            assertTrue(s.count() > 0, "some operations must have landed in race/");
        }
    }
}
