package io.arbiterfs.jnrfuse.mounted;

import org.junit.jupiter.api.Tag;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.jnrfuse.ArbiterFfiProvider;
import io.arbiterfs.jnrfuse.cli.JnrFuseCommand;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./arbiterfs jnr-fuse CLASS MOUNTPOINT --classpath JAR -o ...} (the launcher's command, run here from the
 * test class path), with libfuse hidden: a file system class compiled into a jar of its own is mounted, the command
 * returns once the mount answers, and {@code ./arbiterfs unmount} ends the background server.
 */
@Tag("mount")
class CliMountedTest {
    private static final String SOURCE = String.join("\n",
            "package clitest;",
            "import jnr.ffi.Pointer;",
            "import ru.serce.jnrfuse.*;",
            "import ru.serce.jnrfuse.struct.*;",
            "public class CliFs extends FuseStubFS {",
            "  static final byte[] TEXT = \"from the command line\\n\".getBytes();",
            "  @Override public int getattr(String path, FileStat stat) {",
            "    if (path.equals(\"/\")) { stat.st_mode.set(FileStat.S_IFDIR | 0755); return 0; }",
            "    if (path.equals(\"/cli\")) { stat.st_mode.set(FileStat.S_IFREG | 0444); stat.st_size.set(TEXT.length); return 0; }",
            "    return -ErrorCodes.ENOENT();",
            "  }",
            "  @Override public int readdir(String path, Pointer buf, FuseFillDir filter, long offset, FuseFileInfo fi) {",
            "    filter.apply(buf, \".\", null, 0); filter.apply(buf, \"..\", null, 0); filter.apply(buf, \"cli\", null, 0);",
            "    return 0;",
            "  }",
            "  @Override public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {",
            "    int n = (int) Math.max(0, Math.min(size, TEXT.length - offset));",
            "    buf.put(0, TEXT, (int) offset, n);",
            "    return n;",
            "  }",
            "}");

    @TempDir
    static Path work;
    private static Path jar;

    @BeforeAll
    static void compileTheFileSystemIntoAJarOfItsOwn() throws Exception {
        Path src = work.resolve("src/clitest/CliFs.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString()), "javac failed");
        jar = work.resolve("clifs.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static List<String> cli(String... arguments) {
        List<String> cmd = ChildMount.javaCommand(List.of("-D" + ArbiterFfiProvider.PROVIDER_PROPERTY + "="
                + ArbiterFfiProvider.class.getName()), JnrFuseCommand.class.getName(), "jnr-fuse");
        cmd.addAll(List.of(arguments));
        return cmd;
    }

    private static Commands.Result daemon(String... arguments) throws Exception {
        List<String> cmd = ChildMount.javaCommand(List.of(), "io.arbiterfs.daemon.cli.Main", arguments);
        return Commands.runIn(null, cmd, 120);
    }

    @Test
    void mountsAClassFromItsClassPathAndUnmountEndsIt() throws Exception {
        Path mp = Files.createDirectories(work.resolve("mnt"));
        Path log = work.resolve("cli.log");
        Commands.run("mount", "--bind", mp.toString(), mp.toString());
        Commands.run("mount", "--make-shared", mp.toString());
        try {
            Commands.Result r = Commands.runIn(null, ChildMount.hidden(cli("clitest.CliFs", mp.toString(),
                    "--classpath", jar.toString(), "-o", "parallel_dio", "--log", log.toString())), 120);
            assertEquals(0, r.exitCode(), r.output() + (Files.exists(log) ? Files.readString(log) : ""));
            assertTrue(r.output().contains("mounted on " + mp), r.output());
            assertEquals("from the command line\n", Files.readString(mp.resolve("cli"), StandardCharsets.UTF_8),
                    "the mount answers once the command has returned");
            Commands.Result status = daemon("status", mp.toString());
            assertEquals(0, status.exitCode(), status.output());
            Commands.Result unmount = daemon("unmount", mp.toString());
            assertEquals(0, unmount.exitCode(), unmount.output());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("unmounted; exiting"));
            assertFalse(ServeMain.mounted(mp));
        } finally {
            if (ServeMain.mounted(mp)) {
                Commands.runQuietly("umount", "-l", mp.toString());
            }
            Commands.runQuietly("umount", mp.toString());
        }
    }

    @Test
    void badUsageExitsWithTwoAndMountsNothing() throws Exception {
        Path mp = Files.createDirectories(work.resolve("unused"));
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"clitest.NoSuchFs", mp.toString(), "--classpath", jar.toString()});
        cases.add(new String[] {"clitest.CliFs", mp.toString()}); // not on the class path without --classpath
        cases.add(new String[] {"java.lang.String", mp.toString()});
        cases.add(new String[] {"clitest.CliFs", mp.toString(), "--classpath", jar.toString(), "-o", "paralel_dio"});
        cases.add(new String[] {"clitest.CliFs", mp.toString(), "--classpath", jar.toString(), "-o", "modules=subdir"});
        cases.add(new String[] {"clitest.CliFs", work.resolve("missing").toString(), "--classpath", jar.toString()});
        for (String[] c : cases) {
            Commands.Result r = Commands.runIn(null, cli(c), 120);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.output());
            assertTrue(r.output().startsWith("arbiterfs: "), r.output());
        }
        assertFalse(ServeMain.mounted(mp));
    }
}
