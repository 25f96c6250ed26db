package io.arbiterfs.harness.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiterfs.harness.core.TestFailure;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PatternTest {
    @Test
    void wordsDecodeToTheirOffsetAndGeneration() {
        Pattern.Found f = Pattern.decode(Pattern.word(123 * 8, 77));
        assertEquals(123 * 8, f.offset());
        assertEquals(77, f.gen());
        assertNull(Pattern.decode(0));
    }

    @Test
    void fillMatchesByteAtForUnalignedRanges() {
        ByteBuffer b = ByteBuffer.allocate(100);
        Pattern.fill(b, 13, 100, 5);
        for (int i = 0; i < 100; i++) {
            assertEquals(Pattern.byteAt(13 + i, 5), b.get(i));
        }
    }

    @Test
    void aMisplacedPageIsDiagnosedAsSuch() {
        ByteBuffer b = ByteBuffer.allocate(8192);
        Pattern.fill(b, 4096, 8192, 3); // the data of [4096, 12288) found at [0, 8192)
        TestFailure e = assertThrows(TestFailure.class, () -> Compare.expectGeneration("read", b, 0, 8192, 3));
        assertTrue(e.getMessage().contains("misplaced by +4096 bytes"), e.getMessage());
    }

    @Test
    void staleDataIsAnOlderGeneration() {
        ByteBuffer b = ByteBuffer.allocate(4096);
        Pattern.fill(b, 0, 4096, 2);
        TestFailure e = assertThrows(TestFailure.class, () -> Compare.expectGeneration("read", b, 0, 4096, 3));
        assertTrue(e.getMessage().contains("generation 2 data for this offset"), e.getMessage());
    }

    @Test
    void truncatedWordsAreRecognisedButGarbageIsNot() {
        long w = Pattern.word(56696, 116);
        assertTrue(Pattern.isTruncatedWord(w & 0xFFFFFFL, 56696));
        // a cut word carries only the low bits of its offset: a neighbour's is told apart, a page-distant one is not
        assertFalse(Pattern.isTruncatedWord(w & 0xFFFFFFL, 56696 + 8), "a cut word of another offset is misplaced data");
        assertFalse(Pattern.isTruncatedWord(w & 0xFFFFFFFFFFL, 56696 + 4096), "five bytes carry enough offset bits");
        assertFalse(Pattern.isTruncatedWord(w, 56696), "a whole word is not truncated");
    }
}
