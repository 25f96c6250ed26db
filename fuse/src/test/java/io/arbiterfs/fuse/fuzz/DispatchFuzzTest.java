package io.arbiterfs.fuse.fuzz;

import org.junit.jupiter.api.Tag;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of request decoding and dispatch (see {@link DispatchHarness}).
 *
 * <p>In a plain {@code mvn test} this replays the seed corpus in
 * {@code src/test/resources/io/arbiterfs/daemon/fuzz/DispatchFuzzTestInputs/dispatch} (and any
 * finding Jazzer saved there) as a regression test. To fuzz, see README "Reliability":
 * {@code JAZZER_FUZZ=1 mvn -pl daemon test -Dtest=DispatchFuzzTest} runs 1,000,000 inputs.
 */
@Tag("slow") // the Jazzer agent and the corpus replay take half a minute: mvn verify, not mvn test
class DispatchFuzzTest {
    private static final DispatchHarness HARNESS = new DispatchHarness();

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    @DictionaryEntries({"..", ".", "/", "a/b", "/etc/passwd", "user.", "user.arbiterfs.status", "\u0000"})
    void dispatch(byte[] data) {
        HARNESS.run(data);
    }
}
