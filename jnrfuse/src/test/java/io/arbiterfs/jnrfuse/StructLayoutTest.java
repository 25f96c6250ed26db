package io.arbiterfs.jnrfuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Flock;
import ru.serce.jnrfuse.struct.FuseBufvec;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FusePollhandle;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.arbiterfs.jnrfuse.LibFuse2Abi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jnr-fuse's struct classes, used unchanged over native memory, must put every member where libfuse 2 and glibc
 * do on x86-64. Three sources are compared: the offsets jnr-fuse computes (read from its {@code Struct} members),
 * {@link LibFuse2Abi} (the libfuse 2.9 header layouts, cited there), and for the glibc structs the C compiler
 * ({@code src/test/c/glibc_layouts.c}, built with gcc at test time).
 */
class StructLayoutTest {
    private static final Map<String, Long> compiled = new LinkedHashMap<>();

    @BeforeAll
    static void compileAndRunTheCLayouts(@TempDir Path dir) throws Exception {
        Path source = Path.of("src/test/c/glibc_layouts.c").toAbsolutePath();
        assertTrue(Files.isRegularFile(source), source + " missing (tests run from the module directory)");
        Path binary = dir.resolve("glibc_layouts");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O0", "-o", binary.toString(), source.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("gcc is needed to check glibc's struct layouts (the java-maven machine has it)", e);
        }
        String gccOutput = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed: " + gccOutput);
        Process run = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0, output);
        output.lines().forEach(line -> {
            String[] parts = line.split(" ");
            compiled.put(parts.length == 3 ? parts[0] + " sizeof" : parts[0], Long.parseLong(parts[parts.length - 1]));
        });
    }

    /** Member name (nested as "st_atim.tv_sec") to offset, as jnr-fuse lays {@code type} out on this platform. */
    static Map<String, Long> jnrOffsets(Class<? extends Struct> type) throws Exception {
        Constructor<? extends Struct> constructor = type.getDeclaredConstructor(Runtime.class);
        constructor.setAccessible(true);
        Struct struct = constructor.newInstance(Runtime.getSystemRuntime());
        Pointer memory = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(Struct.size(struct), true);
        struct.useMemory(memory);
        Map<String, Long> offsets = new LinkedHashMap<>();
        collect("", struct, offsets);
        offsets.put("sizeof", (long) Struct.size(struct));
        return offsets;
    }

    private static void collect(String prefix, Struct struct, Map<String, Long> into) throws Exception {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = struct.getClass(); c != Struct.class && c != jnr.ffi.BaseStruct.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object member = field.get(struct);
                if (member instanceof Struct inner) {
                    collect(prefix + field.getName() + ".", inner, into);
                } else if (member instanceof Object[] array && array.length > 0) {
                    into.put(prefix + field.getName() + "[0]", offsetOf(array[0]));
                } else if (member != null && member.getClass().getName().startsWith("jnr.ffi.")) {
                    into.put(prefix + field.getName(), offsetOf(member));
                }
            }
        }
    }

    private static long offsetOf(Object member) throws Exception {
        for (Class<?> c = member.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method offset = c.getDeclaredMethod("offset");
                offset.setAccessible(true);
                return (Long) offset.invoke(member);
            } catch (NoSuchMethodException notHere) {
                // declared further up
            }
        }
        throw new AssertionError("no offset() on " + member.getClass());
    }

    private static void assertLayout(Map<String, Long> expected, Map<String, Long> actual, String what) {
        expected.forEach((member, offset) -> assertEquals(offset, actual.get(member), what + " " + member));
    }

    private static Map<String, Long> layout(Object... memberOffsetPairs) {
        Map<String, Long> layout = new LinkedHashMap<>();
        for (int i = 0; i < memberOffsetPairs.length; i += 2) {
            layout.put((String) memberOffsetPairs[i], ((Number) memberOffsetPairs[i + 1]).longValue());
        }
        return layout;
    }

    private static Map<String, Long> compiledStruct(String name) {
        Map<String, Long> layout = new LinkedHashMap<>();
        compiled.forEach((key, value) -> {
            if (key.equals(name + " sizeof")) {
                layout.put("sizeof", value);
            } else if (key.startsWith(name + ".")) {
                layout.put(key.substring(name.length() + 1), value);
            }
        });
        assertTrue(layout.size() > 2, "the C program printed nothing for struct " + name);
        return layout;
    }

    private static final Map<String, Long> STAT = layout("sizeof", STAT_SIZE, "st_dev", STAT_DEV, "st_ino", STAT_INO,
            "st_nlink", STAT_NLINK, "st_mode", STAT_MODE, "st_uid", STAT_UID, "st_gid", STAT_GID, "st_rdev", STAT_RDEV,
            "st_size", STAT_SIZE_FIELD, "st_blksize", STAT_BLKSIZE, "st_blocks", STAT_BLOCKS,
            "st_atim.tv_sec", STAT_ATIM, "st_atim.tv_nsec", STAT_ATIM + TIMESPEC_NSEC,
            "st_mtim.tv_sec", STAT_MTIM, "st_mtim.tv_nsec", STAT_MTIM + TIMESPEC_NSEC,
            "st_ctim.tv_sec", STAT_CTIM, "st_ctim.tv_nsec", STAT_CTIM + TIMESPEC_NSEC);
    private static final Map<String, Long> STATVFS = layout("sizeof", STATVFS_SIZE, "f_bsize", STATVFS_BSIZE,
            "f_frsize", STATVFS_FRSIZE, "f_blocks", STATVFS_BLOCKS, "f_bfree", STATVFS_BFREE, "f_bavail", STATVFS_BAVAIL,
            "f_files", STATVFS_FILES, "f_ffree", STATVFS_FFREE, "f_favail", STATVFS_FAVAIL, "f_fsid", STATVFS_FSID,
            "f_flag", STATVFS_FLAG, "f_namemax", STATVFS_NAMEMAX);
    private static final Map<String, Long> FLOCK = layout("sizeof", FLOCK_SIZE, "l_type", FLOCK_TYPE,
            "l_whence", FLOCK_WHENCE, "l_start", FLOCK_START, "l_len", FLOCK_LEN, "l_pid", FLOCK_PID);
    private static final Map<String, Long> TIMESPEC = layout("sizeof", TIMESPEC_SIZE, "tv_sec", TIMESPEC_SEC,
            "tv_nsec", TIMESPEC_NSEC);

    @Test
    void glibcStructsAsCompiledMatchTheConstants() {
        assertLayout(STAT, compiledStruct("stat"), "gcc struct stat");
        assertLayout(STATVFS, compiledStruct("statvfs"), "gcc struct statvfs");
        assertLayout(FLOCK, compiledStruct("flock"), "gcc struct flock");
        assertLayout(TIMESPEC, compiledStruct("timespec"), "gcc struct timespec");
    }

    @Test
    void jnrFuseLaysOutTheGlibcStructsAsGlibcDoes() throws Exception {
        assertLayout(STAT, jnrOffsets(FileStat.class), "FileStat");
        assertLayout(STATVFS, jnrOffsets(Statvfs.class), "Statvfs");
        assertEquals((long) STATVFS_NAMEMAX + 8, jnrOffsets(Statvfs.class).get("__f_spare[0]"));
        assertLayout(FLOCK, jnrOffsets(Flock.class), "Flock");
        assertLayout(TIMESPEC, jnrOffsets(Timespec.class), "Timespec");
    }

    @Test
    void jnrFuseLaysOutTheLibfuseStructsAsLibfuse29Does() throws Exception {
        Map<String, Long> fileInfo = jnrOffsets(FuseFileInfo.class);
        assertLayout(layout("sizeof", FILE_INFO_SIZE, "flags", FILE_INFO_FLAGS, "fh_old", FILE_INFO_FH_OLD,
                "fh", FILE_INFO_FH, "lock_owner", FILE_INFO_LOCK_OWNER), fileInfo, "FuseFileInfo");
        // jnr-fuse's byte "Padding" members cover writepage (int at 16) and the bit-field word (at 20): their
        // names are not where libfuse keeps those bits, and they have no accessors (LibFuse2Abi.FILE_INFO_BITS).
        assertEquals(FILE_INFO_WRITEPAGE, fileInfo.get("direct_io"));
        assertEquals(FILE_INFO_BITS, fileInfo.get("flock_release"));
        assertEquals(FILE_INFO_BITS + 1L, fileInfo.get("padding"));

        Map<String, Long> context = jnrOffsets(FuseContext.class);
        assertLayout(layout("fuse", CONTEXT_FUSE, "uid", CONTEXT_UID, "gid", CONTEXT_GID, "pid", CONTEXT_PID,
                "private_data", CONTEXT_PRIVATE_DATA, "umask", CONTEXT_UMASK), context, "FuseContext");
        // jnr-ffi does not pad the end: 36, where C's sizeof is 40. Harmless for a single struct.
        assertEquals(CONTEXT_UMASK + 4L, context.get("sizeof"));

        assertLayout(layout("sizeof", BUFVEC_BUF + BUF_SIZE, "count", BUFVEC_COUNT, "idx", BUFVEC_IDX,
                "off", BUFVEC_OFF, "buf.size", BUFVEC_BUF + BUF_SIZE_FIELD, "buf.flags", BUFVEC_BUF + BUF_FLAGS,
                "buf.mem", BUFVEC_BUF + BUF_MEM, "buf.fd", BUFVEC_BUF + BUF_FD, "buf.pos", BUFVEC_BUF + BUF_POS),
                jnrOffsets(FuseBufvec.class), "FuseBufvec");
        assertLayout(layout("sizeof", POLLHANDLE_SIZE, "kh", POLLHANDLE_KH, "ch", POLLHANDLE_CH, "f", POLLHANDLE_F),
                jnrOffsets(FusePollhandle.class), "FusePollhandle");
    }

    @Test
    void fileStatWritesLandWhereTheKernelAttrConversionReadsThem() {
        Pointer memory = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(STAT_SIZE, true);
        FileStat stat = FileStat.of(memory);
        stat.st_mode.set(FileStat.S_IFREG | 0644);
        stat.st_size.set(1L << 40);
        stat.st_mtim.tv_sec.set(1_700_000_000L);
        stat.st_mtim.tv_nsec.set(123_456_789L);
        stat.st_uid.set(4_000_000_000L); // above Integer.MAX_VALUE: uid_t is unsigned
        assertEquals(0100644, memory.getInt(STAT_MODE));
        assertEquals(1L << 40, memory.getLong(STAT_SIZE_FIELD));
        assertEquals(1_700_000_000L, memory.getLong(STAT_MTIM + TIMESPEC_SEC));
        assertEquals(123_456_789L, memory.getLong(STAT_MTIM + TIMESPEC_NSEC));
        assertEquals(4_000_000_000L, Integer.toUnsignedLong(memory.getInt(STAT_UID)));
    }
}
