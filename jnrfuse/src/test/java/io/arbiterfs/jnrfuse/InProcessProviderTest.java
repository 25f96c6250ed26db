package io.arbiterfs.jnrfuse;

import jnr.ffi.provider.FFIProvider;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.examples.HelloFuse;
import ru.serce.jnrfuse.examples.MemoryFS;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The provider in this (surefire) JVM, where the pom names it with -Djnr.ffi.provider: jnr-fuse file systems
 * construct without libfuse, and their callbacks run from Java. {@code UnmodifiedProgramTest} does the same
 * for unmodified programs in child JVMs with libfuse hidden.
 */
class InProcessProviderTest {
    private static CapturedMount capture(ru.serce.jnrfuse.AbstractFuseFS fs) {
        MountArguments arguments = MountArguments.parse(new String[]{"fusefs1", "-f", "/mnt/probe"});
        var operations = JnrFuseInternals.operationsOf(fs);
        return new CapturedMount(JnrFuseInternals.fileSystemOf(operations), operations, arguments, null, new ProbeMountHandler());
    }

    @Test
    void theSystemProviderIsOursAndDelegatesEverythingElse() {
        assertInstanceOf(ArbiterFfiProvider.class, FFIProvider.getSystemProvider());
        assertSame(ArbiterFfiProvider.class, FFIProvider.getSystemProvider().getClass());
        // libc still binds natively through the delegate
        assertEquals(Long.valueOf(ProcessHandle.current().pid()).intValue(),
                jnr.ffi.LibraryLoader.create(Getpid.class).load("c").getpid());
    }

    public interface Getpid {
        int getpid();
    }

    @Test
    void constructedFileSystemsHoldTheJavaLibFuse() {
        HelloFuse fs = new HelloFuse();
        assertSame(JavaLibFuse.instance(), JnrFuseInternals.libFuseOf(fs));
        assertSame(fs, JnrFuseInternals.fileSystemOf(JnrFuseInternals.operationsOf(fs)));
        assertEquals(Set.of("getattr", "open", "read", "readdir", "init"), capture(fs).implemented());
        assertEquals(Set.of("init"), capture(new FuseStubFS()).implemented());
    }

    @Test
    void helloFuseAnswersThroughItsCallbacks() {
        Map<String, String> results = new CallbackProbe(capture(new HelloFuse())).run();
        assertEquals("null", results.get("init.result"));
        assertEquals("0", results.get("root.res"));
        assertEquals("40755", results.get("root.mode"));
        assertEquals(Integer.toString(-ru.serce.jnrfuse.ErrorCodes.ENOENT()), results.get("missing.res"));
        assertEquals("0", results.get("hello.res"));
        assertEquals("100444", results.get("hello.mode"));
        assertEquals("12", results.get("hello.size"));
        assertEquals("0", results.get("list.res"));
        assertEquals(".|..|hello", results.get("list.names"));
        assertEquals("null|null|null", results.get("list.stats"));
        assertEquals("0", results.get("read.open"));
        assertEquals("12", results.get("read.res"));
        assertEquals("Hello World!", results.get("read.data"));
        assertEquals("1234", results.get("context.uid"));
        assertEquals("5678", results.get("context.gid"));
        assertEquals("4242", results.get("context.pid"));
        assertEquals("22", results.get("context.umask"));
        assertEquals("true", results.get("context.fuse"));
    }

    @Test
    void memoryFsAnswersThroughItsCallbacksWithTheContextWeFilled() {
        Map<String, String> results = new CallbackProbe(capture(new MemoryFS())).run();
        // MemoryFS reports getContext()'s uid/gid as every file's owner
        assertEquals("1234", results.get("root.uid"));
        assertEquals("5678", results.get("root.gid"));
        assertEquals("0", results.get("create.res"));
        assertEquals("23", results.get("write.res"));
        assertEquals("without libfuse", results.get("read.data"));
        assertEquals("0", results.get("mkdir.res"));
        assertEquals("0", results.get("rename.res"));
        assertEquals("23", results.get("moved.size"));
        assertEquals("0", results.get("unlink.res"));
        assertEquals(Integer.toString(-ru.serce.jnrfuse.ErrorCodes.ENOENT()), results.get("gone.res"));
        assertEquals(".|..|Sample file.txt|Sample directory|Directory with files", results.get("list.names"));
        assertEquals(".|..|Sample file.txt|Sample directory|Directory with files|dir", results.get("list2.names"));
    }
}
