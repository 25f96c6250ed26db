package io.arbiterfs.locking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README shows the transition table exactly as the code defines it. */
class ReadmeTableTest {
    @Test
    void readmeContainsTheRenderedTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(TransitionTable.markdown()),
                "README.md is out of date; paste the output of TransitionTable.main:\n" + TransitionTable.markdown());
    }
}
