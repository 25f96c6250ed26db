package io.arbiterfs.fuse.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.fuse.internal.abi.*;
import io.arbiterfs.fuse.platform.Native;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reply struct: each field written through its setter reads back, stays inside the struct,
 * and leaves the other fields alone (so no two fields overlap).
 */
class StructRoundTripTest {
    static Stream<Struct<?>> replyStructs() {
        return Stream.of(new OutHeader(), new InitOut(), new Attr(), new EntryOut(), new AttrOut(), new OpenOut(),
                new WriteOut(), new StatfsOut(), new GetxattrOut(), new LkOut(), new LseekOut(), new CopyFileRangeOut(),
                new NotifyInvalInodeOut(), new NotifyInvalEntryOut());
    }

    /** The ABI field setters: one int/long parameter, a getter of the same name (API aliases such as node are left out). */
    private static List<Method> setters(Struct<?> s) {
        return Stream.of(s.getClass().getDeclaredMethods())
                .filter(m -> m.getParameterCount() == 1 && m.getReturnType() == s.getClass() && !m.isBridge())
                .filter(m -> m.getParameterTypes()[0] == int.class || m.getParameterTypes()[0] == long.class)
                .filter(m -> !m.getName().equals("node"))
                .filter(m -> hasGetter(s, m.getName()))
                .toList();
    }

    private static boolean hasGetter(Struct<?> s, String name) {
        try {
            s.getClass().getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("replyStructs")
    void fieldsRoundTripWithoutOverlap(Struct<?> s) throws Exception {
        int size = s.structSize();
        ByteBuffer buf = Native.buffer(size + 16);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0x5A);
        }
        s.wrap(buf, 8).clear();
        List<Method> setters = setters(s);
        assertTrue(!setters.isEmpty());
        int n = 1;
        for (Method set : setters) {
            Object v = set.getParameterTypes()[0] == int.class ? (Object) (n * 3) : (Object) (n * 3L);
            set.invoke(s, v);
            n++;
        }
        n = 1;
        for (Method set : setters) {
            Method get = s.getClass().getMethod(set.getName());
            Object expected = get.getReturnType() == int.class ? (Object) (n * 3) : (Object) (n * 3L);
            assertEquals(expected, get.invoke(s), s.getClass().getSimpleName() + "." + set.getName());
            n++;
        }
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) 0x5A, buf.get(i), "bytes before the struct untouched");
            assertEquals((byte) 0x5A, buf.get(8 + size + i), "bytes after the struct untouched");
        }
    }

    @ParameterizedTest
    @MethodSource("replyStructs")
    void sizesMatchTheAbi(Struct<?> s) {
        int expected = switch (s.getClass().getSimpleName()) {
            case "OutHeader" -> 16;
            case "InitOut" -> 64;
            case "Attr" -> 88;
            case "EntryOut" -> 128;
            case "AttrOut" -> 104;
            case "OpenOut", "NotifyInvalEntryOut" -> 16;
            case "StatfsOut" -> 80;
            case "LkOut", "NotifyInvalInodeOut" -> 24;
            default -> 8;
        };
        assertEquals(expected, s.structSize());
    }
}
