package io.arbiterfs.jnrfuse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jnr-fuse's own example programs, run unmodified ({@code main()} of {@code HelloFuse} / {@code MemoryFS}) in
 * child JVMs in a private mount namespace where libfuse.so.2 is hidden under an empty file (or is not installed
 * at all). Without our provider they fail to construct; with it, their {@code mount()} reaches
 * {@link ProbeMountHandler}, which drives their callbacks and reports back.
 */
class UnmodifiedProgramTest {
    private static final String PROBE = ProbeMountHandler.class.getName();
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path work;
    private static Path agentJar;
    private static String programClassPath;
    private static Path libfuse;

    @BeforeAll
    static void prepare() throws Exception {
        Path mainClasses = Path.of(ArbiterFfiProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        agentJar = agentJar(mainClasses, work.resolve("arbiterfs-jnrfuse-agent.jar"));
        // The program's own class path: jnr-fuse and its dependencies (plus the test classes for the probe
        // handler), but not this module's classes: those come only through the agent jar or -cp below.
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        programClassPath = Stream.of(testClassPath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(mainClasses.toAbsolutePath()))
                .collect(Collectors.joining(File.pathSeparator));
        libfuse = installedLibfuse();
    }

    /** libfuse.so.2 as the dynamic linker cache lists it, or null if it is not installed. */
    private static Path installedLibfuse() throws IOException, InterruptedException {
        Process ldconfig = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
        String cache = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ldconfig.waitFor(30, TimeUnit.SECONDS), "ldconfig -p did not finish");
        return cache.lines()
                .filter(line -> line.trim().startsWith("libfuse.so.2 ") && line.contains("x86-64") && line.contains("=>"))
                .map(line -> Path.of(line.substring(line.indexOf("=>") + 2).trim()))
                .findFirst().orElse(null);
    }

    private static Path agentJar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", JnrFuseAgent.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    record Result(int exitCode, String output) {}

    /** Runs {@code java JVM_ARGS MAIN} in a new private mount namespace with libfuse.so.2 hidden. */
    private static Result runHidden(List<String> jvmArguments, String mainClass) throws Exception {
        Path empty = Files.createTempFile(work, "empty", ".so");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                (libfuse == null ? "" : "mount --bind \"$0\" \"$1\" || exit 97; ")
                        + "for f in /lib/x86_64-linux-gnu/libfuse.so.2 /usr/lib/x86_64-linux-gnu/libfuse.so.2; do "
                        + "[ -s \"$f\" ] && { echo \"libfuse still visible: $f\"; exit 98; }; done; shift 1; exec \"$@\"",
                empty.toString(), libfuse == null ? "-" : libfuse.toString()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArguments);
        command.add(mainClass);
        Path output = Files.createTempFile(work, "child", ".log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child JVM did not finish in " + TIMEOUT_SECONDS + " s: " + Files.readString(output));
        }
        return new Result(child.exitValue(), Files.readString(output));
    }

    private static Properties probe(List<String> wayIn, String classPath, String mainClass) throws Exception {
        Path report = Files.createTempFile(work, "probe", ".properties");
        List<String> arguments = new ArrayList<>(wayIn);
        arguments.addAll(List.of("-D" + MountHandler.HANDLER_PROPERTY + "=" + PROBE,
                "-Darbiterfs.probe.out=" + report, "-cp", classPath));
        Result result = runHidden(arguments, mainClass);
        assertEquals(0, result.exitCode(), result.output());
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(report)) {
            properties.load(in);
        }
        assertTrue(properties.containsKey("fs"), "the probe handler never ran: " + result.output());
        return properties;
    }

    @Test
    void withoutTheProviderHelloFuseCannotEvenBeConstructed() throws Exception {
        Result result = runHidden(List.of("-cp", programClassPath), "ru.serce.jnrfuse.examples.HelloFuse");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("UnsatisfiedLinkError") && result.output().contains("libfuse.so.2"),
                "expected jnr-ffi failing to load libfuse: " + result.output());
    }

    @Test
    void helloFuseMainRunsUnmodifiedThroughTheAgent() throws Exception {
        Properties results = probe(List.of("-javaagent:" + agentJar), programClassPath, "ru.serce.jnrfuse.examples.HelloFuse");
        assertEquals("ru.serce.jnrfuse.examples.HelloFuse", results.getProperty("fs"));
        assertEquals("/tmp/mnth", results.getProperty("mountpoint")); // HelloFuse.main's fixed mountpoint
        assertEquals("true", results.getProperty("debug")); // it mounts with debug=true
        assertEquals("getattr,open,read,readdir,init", results.getProperty("implemented"));
        assertEquals("40755", results.getProperty("root.mode"));
        assertEquals("100444", results.getProperty("hello.mode"));
        assertEquals(".|..|hello", results.getProperty("list.names"));
        assertEquals("Hello World!", results.getProperty("read.data"));
        assertEquals("1234", results.getProperty("context.uid"));
        assertEquals("22", results.getProperty("context.umask"));
    }

    @Test
    void memoryFsMainRunsUnmodifiedWithTheProviderProperty() throws Exception {
        Properties results = probe(List.of("-D" + ArbiterFfiProvider.PROVIDER_PROPERTY + "=" + ArbiterFfiProvider.class.getName()),
                agentJar + File.pathSeparator + programClassPath, "ru.serce.jnrfuse.examples.MemoryFS");
        assertEquals("ru.serce.jnrfuse.examples.MemoryFS", results.getProperty("fs"));
        assertEquals("/tmp/mntm", results.getProperty("mountpoint"));
        assertEquals("1234", results.getProperty("root.uid"));
        assertEquals("without libfuse", results.getProperty("read.data"));
        assertEquals("23", results.getProperty("moved.size"));
        assertEquals(".|..|Sample file.txt|Sample directory|Directory with files|dir", results.getProperty("list2.names"));
    }
}
