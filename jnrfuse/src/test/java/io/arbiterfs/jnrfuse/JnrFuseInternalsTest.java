package io.arbiterfs.jnrfuse;

import jnr.ffi.BaseStruct;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import ru.serce.jnrfuse.AbstractFuseFS;
import ru.serce.jnrfuse.FuseFS;
import ru.serce.jnrfuse.LibFuse;
import ru.serce.jnrfuse.examples.HelloFuse;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseOperations;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails loudly when jnr-fuse is not the 0.5.8 jar whose internals the provider relies on (jnrfuse/DESIGN.md,
 * "Internals relied on"): the jar itself, the reflective handles of {@link JnrFuseInternals}, and — read from
 * the bytecode — every call jnr-fuse makes into libfuse and where it loads the binding.
 */
class JnrFuseInternalsTest {
    /** SHA-256 of com.github.serceman:jnr-fuse:0.5.8 (jnr-fuse-0.5.8.jar from Maven Central). */
    private static final String PINNED_JAR_SHA256 = "71a9d6d8fc390801deac71fe0b05aae9a4270e43cca1dfe68e885050d2f8b759";
    private static final String LIB_FUSE = Type.getInternalName(LibFuse.class);

    private static Path jnrFuseJar() throws Exception {
        return Path.of(AbstractFuseFS.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theJarIsThePinnedOne() throws Exception {
        Path jar = jnrFuseJar();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        assertEquals(PINNED_JAR_SHA256, sha256, jar + " is not jnr-fuse " + JnrFuseInternals.PINNED_VERSION
                + ": re-check every internal listed in jnrfuse/DESIGN.md before changing this hash");
    }

    @Test
    void libFuseIsTheSevenFunctionsJavaLibFuseAnswers() {
        Set<String> signatures = Arrays.stream(LibFuse.class.getDeclaredMethods())
                .map(method -> method.getReturnType().getSimpleName() + " " + method.getName()
                        + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")")))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(
                "long fuse_buf_size(FuseBufvec)",
                "long fuse_buf_copy(FuseBufvec,FuseBufvec,int)",
                "void fuse_pollhandle_destroy(FusePollhandle)",
                "int fuse_notify_poll(FusePollhandle)",
                "FuseContext fuse_get_context()",
                "void fuse_exit(Pointer)",
                "int fuse_main_real(int,String[],FuseOperations,int,Pointer)")), signatures);
    }

    @Test
    void theFieldsAndTheCallbackHolderAreWhereJnrFuseInternalsReadsThem() throws Exception {
        Field libFuse = AbstractFuseFS.class.getDeclaredField("libFuse");
        assertEquals(LibFuse.class, libFuse.getType());
        assertEquals(Modifier.PROTECTED | Modifier.FINAL, libFuse.getModifiers());
        Field operations = AbstractFuseFS.class.getDeclaredField("fuseOperations");
        assertEquals(FuseOperations.class, operations.getType());
        assertEquals(Modifier.PROTECTED | Modifier.FINAL, operations.getModifiers());
        Field instance = BaseStruct.Func.class.getDeclaredField("instance");
        assertEquals(Modifier.PRIVATE, instance.getModifiers());
        // jnr-fuse's readdir adapter reaches into jnr-ffi's NativeClosureManager (its ClosureHelper)
        Class<?> closureManager = Class.forName("jnr.ffi.provider.jffi.NativeClosureManager");
        assertNotNull(closureManager.getDeclaredField("asmClassLoaders"));
        assertNotNull(closureManager.getDeclaredField("typeMapper"));
        assertNotNull(jnr.ffi.provider.jffi.ClosureHelper.getInstance().getNativeConveter(ru.serce.jnrfuse.FuseFillDir.class));
    }

    /** The libfuse 2.9 fuse_operations member order; flag word at 304, so ioctl starts at 312. */
    private static final List<String> OPERATIONS = List.of("getattr", "readlink", "getdir", "mknod", "mkdir", "unlink",
            "rmdir", "symlink", "rename", "link", "chmod", "chown", "truncate", "utime", "open", "read", "write", "statfs",
            "flush", "release", "fsync", "setxattr", "getxattr", "listxattr", "removexattr", "opendir", "readdir",
            "releasedir", "fsyncdir", "init", "destroy", "access", "create", "ftruncate", "fgetattr", "lock", "utimens",
            "bmap", "ioctl", "poll", "write_buf", "read_buf", "flock", "fallocate");

    @Test
    void fuseOperationsHasTheLibfuse29MembersAtTheirOffsets() {
        Map<String, BaseStruct.Func<?>> functions = JnrFuseInternals.functions(new FuseOperations(jnr.ffi.Runtime.getSystemRuntime()));
        assertEquals(OPERATIONS, new ArrayList<>(functions.keySet()));
        for (int i = 0; i < OPERATIONS.size(); i++) {
            long expected = OPERATIONS.get(i).equals("ioctl") || i > OPERATIONS.indexOf("ioctl") ? 8L * i + 8 : 8L * i;
            assertEquals(expected, functions.get(OPERATIONS.get(i)).offset(), OPERATIONS.get(i));
        }
        assertEquals(LibFuse2Abi.OPERATIONS_SIZE, jnr.ffi.Struct.size(new FuseOperations(jnr.ffi.Runtime.getSystemRuntime())));
    }

    @Test
    void fuseFsIsTheFortyTwoOperationsTheBridgeMaps() {
        Set<String> abstractMethods = Arrays.stream(FuseFS.class.getDeclaredMethods())
                .filter(method -> Modifier.isAbstract(method.getModifiers())).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(OPERATIONS);
        expected.removeAll(Set.of("getdir", "utime")); // deprecated members jnr-fuse never sets
        assertEquals(expected, abstractMethods);
        assertEquals(42, abstractMethods.size());
    }

    /** Every call jnr-fuse's own bytecode makes to LibFuse and to LibraryLoader.create, as "Class.method -> callee". */
    private static Set<String> callSites(String calleeOwner) throws Exception {
        Set<String> sites = new TreeSet<>();
        try (JarFile jar = new JarFile(jnrFuseJar().toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    ClassReader reader = new ClassReader(in);
                    String className = reader.getClassName().substring(reader.getClassName().lastIndexOf('/') + 1);
                    reader.accept(new ClassVisitor(Opcodes.ASM9) {
                        @Override
                        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                            String caller = className + "." + name.replaceAll("\\$\\d+$", "");
                            return new MethodVisitor(Opcodes.ASM9) {
                                @Override
                                public void visitMethodInsn(int opcode, String owner, String callee, String desc, boolean itf) {
                                    if (owner.equals(calleeOwner)) {
                                        sites.add(caller + " -> " + callee);
                                    }
                                }
                            };
                        }
                    }, ClassReader.SKIP_DEBUG);
                }
            }
        }
        return sites;
    }

    @Test
    void jnrFuseCallsLibfuseOnlyWhereJavaLibFuseExpectsIt() throws Exception {
        assertEquals(new TreeSet<>(List.of(
                "AbstractFuseFS.getContext -> fuse_get_context",
                "AbstractFuseFS.lambda$init -> fuse_get_context",
                "AbstractFuseFS.execMount -> fuse_main_real",
                "AbstractFuseFS.umount -> fuse_exit",
                "FuseStubFS.write_buf -> fuse_buf_size",
                "FuseStubFS.write_buf -> fuse_buf_copy")), callSites(LIB_FUSE));
        // LibraryLoader.create(LibFuse.class).failImmediately()[.search(..)].load(..) in the constructor, nowhere else
        assertEquals(Set.of("AbstractFuseFS.<init> -> create", "AbstractFuseFS.<init> -> failImmediately",
                        "AbstractFuseFS.<init> -> search", "AbstractFuseFS.<init> -> load"),
                callSites(Type.getInternalName(jnr.ffi.LibraryLoader.class)), "jnr-fuse loads libraries somewhere else now");
    }

    @Test
    void theInitCallbackCapturesTheFileSystem() throws Exception {
        List<String> initLambdas = new ArrayList<>();
        try (InputStream in = AbstractFuseFS.class.getResourceAsStream("AbstractFuseFS.class")) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    if (!name.equals("init") || !descriptor.equals("(Lru/serce/jnrfuse/struct/FuseOperations;)V")) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String lambdaName, String descriptor, Handle bootstrap, Object... arguments) {
                            if (descriptor.endsWith("FuseCallbacks$InitCallback;")) {
                                initLambdas.add(descriptor);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of("(Lru/serce/jnrfuse/AbstractFuseFS;Lru/serce/jnrfuse/AbstractFuseFS;)Lru/serce/jnrfuse/FuseCallbacks$InitCallback;"),
                initLambdas);
        HelloFuse fs = new HelloFuse();
        assertSame(fs, JnrFuseInternals.fileSystemOf(JnrFuseInternals.operationsOf(fs)));
    }

    @Test
    void replacingLibFuseRedirectsGetContext() {
        HelloFuse fs = new HelloFuse();
        AtomicInteger calls = new AtomicInteger();
        FuseContext ours = JnrFuseContext.current();
        LibFuse counting = (LibFuse) Proxy.newProxyInstance(LibFuse.class.getClassLoader(), new Class<?>[]{LibFuse.class},
                (proxy, method, args) -> {
                    assertEquals("fuse_get_context", method.getName());
                    calls.incrementAndGet();
                    return ours;
                });
        JnrFuseInternals.replaceLibFuse(fs, counting);
        assertSame(ours, fs.getContext());
        assertEquals(1, calls.get());
        JnrFuseInternals.replaceLibFuse(fs, JavaLibFuse.instance());
        assertSame(JavaLibFuse.instance(), JnrFuseInternals.libFuseOf(fs));
    }
}
