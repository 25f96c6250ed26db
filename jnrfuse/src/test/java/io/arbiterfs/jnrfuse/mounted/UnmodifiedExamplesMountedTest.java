package io.arbiterfs.jnrfuse.mounted;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.jnrfuse.ArbiterFfiProvider;
import io.arbiterfs.jnrfuse.JnrFuseAgent;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.examples.HelloFuse;
import ru.serce.jnrfuse.examples.MemoryFS;

/**
 * jnr-fuse's own examples, unmodified, mounted for real on the arbiterfs engine with libfuse.so.2 hidden, through
 * both ways in: their {@code main()} (which mounts at a fixed path: /tmp/mnth, /tmp/mntm) with the agent or the
 * provider property, and the same classes mounted from code ({@code ArbiterJnrFuse.mount}).
 */
@Tag("mount")
class UnmodifiedExamplesMountedTest {
    @TempDir
    static Path work;
    private static Path agentJar;
    private static String programClassPath;

    @BeforeAll
    static void agent() throws Exception {
        Path mainClasses = Path.of(ArbiterFfiProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        agentJar = work.resolve("arbiterfs-jnrfuse-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", JnrFuseAgent.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(agentJar), manifest);
             Stream<Path> files = Files.walk(mainClasses)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(mainClasses.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        // the program's class path: jnr-fuse, the engine and their libraries, but not this module's classes
        programClassPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(mainClasses.toAbsolutePath()))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void helloFuseAnswers(Path mp) throws IOException {
        assertEquals(List.of("hello"), list(mp));
        assertEquals(HelloFuse.HELLO_STR, Files.readString(mp.resolve("hello"), StandardCharsets.UTF_8));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void memoryFsWorks(Path mp) throws IOException {
        assertEquals(List.of("Directory with files", "Sample directory", "Sample file.txt"), list(mp));
        Path note = mp.resolve("Sample directory").resolve("note.txt");
        Files.writeString(note, "written on the bridge");
        assertEquals("written on the bridge", Files.readString(note));
        Files.move(note, mp.resolve("note.txt"));
        assertTrue(Files.exists(mp.resolve("note.txt")));
        assertEquals("Hello there, feel free to look around.\n", Files.readString(mp.resolve("Sample file.txt")));
    }

    @Test
    void helloFuseMainThroughTheAgent() throws Exception {
        try (ChildMount m = ChildMount.program(Path.of("/tmp/mnth"),
                List.of("-javaagent:" + agentJar, "-cp", programClassPath), HelloFuse.class.getName())) {
            helloFuseAnswers(m.mountpoint());
            m.closeCleanly(); // main() returns once its blocking mount() is unmounted
        }
    }

    @Test
    void memoryFsMainWithTheProviderProperty() throws Exception {
        try (ChildMount m = ChildMount.program(Path.of("/tmp/mntm"),
                List.of("-D" + ArbiterFfiProvider.PROVIDER_PROPERTY + "=" + ArbiterFfiProvider.class.getName(),
                        "-cp", agentJar + File.pathSeparator + programClassPath), MemoryFS.class.getName())) {
            memoryFsWorks(m.mountpoint());
            m.closeCleanly();
        }
    }

    @Test
    void bothExamplesMountedFromCode(@TempDir Path mountpoint) throws Exception {
        try (ChildMount m = ChildMount.bridge(mountpoint, HelloFuse.class)) {
            helloFuseAnswers(mountpoint);
            m.closeCleanly();
        }
        try (ChildMount m = ChildMount.bridge(mountpoint, MemoryFS.class)) {
            memoryFsWorks(mountpoint);
            m.closeCleanly();
        }
    }
}
