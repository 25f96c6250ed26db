package io.arbiterfs.harness.xfstests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestListTest {
    /** surefire runs in xfstests-harness/. */
    private static final Path LISTS = Path.of("lists");

    @Test
    void linesRunOrAreLeftOutWithTheirReason() {
        TestList l = TestList.parse("# comment\ngeneric/001\n\ngeneric/019   - needs a block device\n  generic/095  \n", "t");
        assertEquals(List.of("generic/001", "generic/095"), l.runnable());
        assertEquals(Optional.of("needs a block device"), l.excludedBecause("generic/019"));
        assertEquals(Optional.empty(), l.excludedBecause("generic/001"));
        assertEquals(List.of("generic/019"), l.excluded().stream().map(TestList.Entry::test).toList());
    }

    @Test
    void aBadLineOrATestListedTwiceIsAnErrorNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestList.parse("generic/001\ngeneric/002 needs a dash before the reason\n", "f.list"));
        assertTrue(e.getMessage().startsWith("f.list:2: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TestList.parse("generic/001\ngeneric/001 - x\n", "f.list"));
        assertTrue(e.getMessage().contains("f.list:2: generic/001 is listed twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TestList.parse("generic/001 -\n", "f.list"));
        assertTrue(e.getMessage().startsWith("f.list:1: "), "a left-out test needs its reason: " + e.getMessage());
    }

    @Test
    void testsOptionTakesCommasAndSpacesAndRejectsOtherNames() {
        assertEquals(List.of("generic/001", "generic/095", "generic/091"),
                TestList.names(List.of("generic/001,generic/095", "generic/091 generic/001")));
        assertThrows(IllegalArgumentException.class, () -> TestList.names(List.of("095")));
    }

    @Test
    void theCuratedListCoversEveryGenericTestOnceAndRunsTheDioMmapSet() throws Exception {
        TestList curated = TestList.load(LISTS.resolve("curated.list"));
        TestList dio = TestList.load(LISTS.resolve("dio-mmap.list"));
        assertEquals(List.of("generic/001", "generic/091", "generic/095", "generic/130", "generic/133", "generic/208",
                "generic/209", "generic/247", "generic/263", "generic/451", "generic/647", "generic/729"), dio.runnable());
        for (String t : dio.runnable()) {
            assertTrue(curated.runnable().contains(t), t + " must run by default too");
        }
        // one line per generic test of the snapshot: 001..787 with none missing
        List<String> all = curated.entries().stream().map(TestList.Entry::test).toList();
        assertEquals(787, all.size());
        assertEquals("generic/001", all.get(0));
        assertEquals("generic/787", all.get(all.size() - 1));
        for (TestList.Entry e : curated.excluded()) {
            assertTrue(e.excludedBecause().length() > 10, "a real reason for " + e.test());
        }
        assertTrue(Files.readString(LISTS.resolve("curated.list")).startsWith("# "), "the list explains itself");
    }
}
