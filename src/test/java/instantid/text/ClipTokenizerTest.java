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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    void normalisationIsTheReferencesNfcWhitespaceAndLowerCase() {
        ClipTokenizer t = first();
        assertEquals(t.tokenize("a photo"), t.tokenize("  A \t Photo\n"));   // whitespace, case
        assertEquals(t.tokenize("caf\u00e9"), t.tokenize("cafe\u0301"));    // NFC
        // a CJK run stays one word (no per-character split)
        List<String> cjk = t.tokenize("\u6771\u4eac");
        assertFalse(cjk.get(0).endsWith("</w>"), cjk.toString());
        // special tokens inside the text map to their ids
        long[] ids = t.encode("a <|endoftext|> b").ids();
        assertEquals(t.eosId(), ids[2]);
        // per-character lower case, as the tokenizers library: a word-final capital sigma is σ, not ς
        assertEquals(t.tokenize("\u03c3\u03c3"), t.tokenize("\u03a3\u03a3"));
    }

    @Test
    void noFtfyCleanUpCurlyQuotesLigaturesFullWidthAndEntitiesStay() {
        ClipTokenizer t = first();
        // the curly apostrophe is not "'": "it’s" is not "it's" (no 's contraction split either)
        assertNotEquals(t.tokenize("it's"), t.tokenize("it\u2019s"));
        assertEquals(List.of("it</w>", "'s</w>"), t.tokenize("it's"));
        assertEquals(bytes("\u2019") + "</w>", String.join("", t.tokenize("\u2019")));
        // a ligature is not expanded: "ﬁsh" is not "fish"
        assertNotEquals(t.tokenize("fish"), t.tokenize("\ufb01sh"));
        // full-width letters stay full width (lower-cased: Ａ → ａ), not ASCII
        assertNotEquals(t.tokenize("abc"), t.tokenize("\uff21\uff22\uff23"));
        assertEquals(t.tokenize("\uff41\uff42\uff43"), t.tokenize("\uff21\uff22\uff23"));
        // HTML entities are text
        assertNotEquals(t.tokenize("fish & chips"), t.tokenize("fish &amp; chips"));
        assertTrue(t.tokenize("&amp;").size() >= 2, t.tokenize("&amp;").toString());
    }

    /** A string's UTF-8 bytes in CLIP's byte-to-unicode alphabet (what BPE starts from). */
    private static String bytes(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int v = b & 0xff;
            boolean printable = (v >= '!' && v <= '~') || (v >= 0xa1 && v <= 0xac) || (v >= 0xae && v <= 0xff);
            int n = 0;
            if (!printable) for (int x = 0; x < v; x++) if (!((x >= '!' && x <= '~') || (x >= 0xa1 && x <= 0xac) || (x >= 0xae && x <= 0xff))) n++;
            sb.append((char) (printable ? v : 256 + n));
        }
        return sb.toString();
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
