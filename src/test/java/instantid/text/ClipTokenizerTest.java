package instantid.text;

import instantid.parity.FixturesTestAccess;
import instantid.parity.Outcome;
import instantid.parity.Parity;
import instantid.parity.Runners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTokenizerTest {

    private static ClipTokenizer first() {
        return ClipTokenizer.load(FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/tokenizer"));
    }

    private static ClipTokenizer second() {
        return ClipTokenizer.load(FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/tokenizer_2"));
    }

    @Test
    void fixtureCasePassesTokenForToken() {
        Path dir = FixturesTestAccess.requireFixtures().resolve("tokenizer_clip");
        Outcome o = Parity.runOne(dir, Runners.all());
        assertEquals(Outcome.Status.PASS, o.status(), o.detail());
    }

    @Test
    void readsPadTokensFromTheFolders() {
        assertEquals(first().eosId(), first().padId());
        assertEquals("!", second().padToken());
        assertEquals(0, second().padId());
        assertEquals(77, first().maxLength());
    }

    @Test
    void truncationKeepsEndTokenAndCountsDropped() {
        ClipTokenizer t = first();
        String prompt = String.join(" ", java.util.Collections.nCopies(60, "red apple"));
        int all = t.tokenize(prompt).size();
        ClipTokenizer.Encoding e = t.encode(prompt);
        assertEquals(77, e.ids().length);
        assertEquals(t.eosId(), e.ids()[76]);
        assertEquals(t.bosId(), e.ids()[0]);
        assertEquals(all - 75, e.dropped());
        assertTrue(e.dropped() > 0);
        ClipTokenizer.Encoding s = t.encode("red apple");
        assertEquals(0, s.dropped());
        assertEquals(t.eosId(), s.ids()[s.length() - 1]);
        assertEquals(t.padId(), s.ids()[76]);
        assertEquals(s.length(), Arrays.stream(s.mask()).sum());
    }

    @Test
    void bangPadTokenSplitsExclamationMarks() {
        List<String> a = first().tokenize("wow!!!");
        List<String> b = second().tokenize("wow!!!");
        assertEquals(List.of("wow</w>", "!!!</w>"), a);
        assertEquals(List.of("wow</w>", "!", "!", "!"), b);
    }

    @Test
    void cleanupMatchesTheReferenceRules() {
        ClipTokenizer t = first();
        assertEquals(t.tokenize("a photo"), t.tokenize("  A \t Photo\n"));
        assertEquals(t.tokenize("it's"), t.tokenize("it\u2019s"));           // curly quote uncurled
        assertEquals(t.tokenize("abc 12"), t.tokenize("\uff21\uff22\uff23 \uff11\uff12")); // full width
        assertEquals(t.tokenize("caf\u00e9"), t.tokenize("cafe\u0301"));    // NFC
        assertEquals(t.tokenize("fish & chips"), t.tokenize("fish &amp; chips"));
        // a CJK run stays one word, as with ftfy (no per-character split)
        List<String> cjk = t.tokenize("\u6771\u4eac");
        assertFalse(cjk.get(0).endsWith("</w>"), cjk.toString());
        // special tokens inside the text map to their ids
        long[] ids = t.encode("a <|endoftext|> b").ids();
        assertEquals(t.eosId(), ids[2]);
    }

    @Test
    void missingFilesAreNamed(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(tmp));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains(tmp.toString()), e.getMessage());
    }

    @Test
    void encodesAtOtherLengths() {
        ClipTokenizer t = first();
        long[] full = t.encode("a photo of a cat").ids();
        long[] shortIds = t.encode("a photo of a cat", 4).ids();
        assertArrayEquals(new long[] {full[0], full[1], full[2], t.eosId()}, shortIds);
    }
}
