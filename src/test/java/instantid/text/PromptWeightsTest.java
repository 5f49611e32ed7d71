package instantid.text;

import instantid.common.UserException;
import instantid.parity.FixturesTestAccess;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptWeightsTest {

    private static PromptWeights.Segment seg(String t, double w) {
        return new PromptWeights.Segment(t, w);
    }

    @Test
    void parsesTheReferenceDocstringExamples() {
        assertEquals(List.of(seg("normal text", 1.0)), PromptWeights.parse("normal text"));
        assertEquals(List.of(seg("an ", 1.0), seg("important", 1.1), seg(" word", 1.0)),
                PromptWeights.parse("an (important) word"));
        assertEquals(List.of(seg("unbalanced", 1.1)), PromptWeights.parse("(unbalanced"));
        assertEquals(List.of(seg("(literal]", 1.0)), PromptWeights.parse("\\(literal\\]"));
        assertEquals(List.of(seg("unnecessaryparens", 1.1)), PromptWeights.parse("(unnecessary)(parens)"));
        // the reference's own expected output, floating-point products included
        assertEquals(List.of(seg("a ", 1.0), seg("house", 1.5730000000000004), seg(" ", 1.1), seg("on", 1.0),
                        seg(" a ", 1.1), seg("hill", 0.55), seg(", sun, ", 1.1), seg("sky", 1.4641000000000006),
                        seg(".", 1.1)),
                PromptWeights.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky)))."));
    }

    @Test
    void explicitWeightsSquareBracketsAndStrayBrackets() {
        assertEquals(List.of(seg("lowres, low quality", 1.2), seg(", ", 1.0), seg("text", 1.2)),
                PromptWeights.parse("(lowres, low quality:1.2), (text:1.2)"));
        assertEquals(List.of(seg("a ", 1.0), seg("dim", 1 / 1.1)), PromptWeights.parse("a [dim]"));
        // a closing bracket without an opening one is text; so is a weight without "("
        assertEquals(List.of(seg("a) b]", 1.0)), PromptWeights.parse("a) b]"));
        assertEquals(List.of(seg("x :1.5) y", 1.0)), PromptWeights.parse("x :1.5) y"));
        assertEquals(List.of(seg("", 1.0)), PromptWeights.parse(""));
        assertEquals(List.of(seg("a\\b", 1.0)), PromptWeights.parse("a\\\\b"));
        UserException e = assertThrows(UserException.class, () -> PromptWeights.parse("(x:1.2.3)"));
        assertTrue(e.getMessage().contains("1.2.3"), e.getMessage());
    }

    @Test
    void breakIsTheWordWithWeightMinusOneAsInTheApp() {
        assertEquals(List.of(seg("a cat", 1.0), seg("BREAK", -1.0), seg("a dog", 1.0)),
                PromptWeights.parse("a cat BREAK a dog"));
        assertEquals(List.of(seg("BREAKFAST", 1.0)), PromptWeights.parse("BREAKFAST"));
    }

    @Test
    void tokensCarryTheirSegmentsWeight() {
        ClipTokenizer t = ClipTokenizer.load(FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/tokenizer"));
        PromptWeights.Tokens w = PromptWeights.tokens(t, "a (red:1.5) cat, [blurry]");
        assertArrayEquals(t.ids("a red cat, blurry"), w.ids());
        long red = t.ids("red")[0], blurry = t.ids("blurry")[0];
        for (int i = 0; i < w.size(); i++) {
            double expect = w.ids()[i] == red ? 1.5 : w.ids()[i] == blurry ? 1 / 1.1 : 1.0;
            assertEquals(expect, w.weights()[i], 0.0, "token " + i);
        }
    }

    @Test
    void longPromptsGoInChunksOf75WithStartAndEndToken() {
        ClipTokenizer t = ClipTokenizer.load(FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/tokenizer"));
        String prompt = String.join(" ", Collections.nCopies(80, "cat")) + " (dog:1.3)";
        PromptWeights.Tokens all = PromptWeights.tokens(t, prompt);
        assertEquals(81, all.size());
        List<PromptWeights.Tokens> c = PromptWeights.chunks(all, t.bosId(), t.eosId());
        assertEquals(2, c.size());
        assertEquals(77, c.get(0).size());
        assertEquals(8, c.get(1).size()); // 6 tokens, not padded
        for (PromptWeights.Tokens k : c) {
            assertEquals(t.bosId(), k.ids()[0]);
            assertEquals(t.eosId(), k.ids()[k.size() - 1]);
            assertEquals(1.0, k.weights()[0]);
            assertEquals(1.0, k.weights()[k.size() - 1]);
        }
        assertEquals(1.3, c.get(1).weights()[6], 0.0);
        assertEquals(t.ids("dog")[0], c.get(1).ids()[6]);
        // exactly 75 tokens: one full chunk and an empty one, as the reference's loop
        PromptWeights.Tokens t75 = PromptWeights.tokens(t, String.join(" ", Collections.nCopies(75, "cat")));
        List<PromptWeights.Tokens> c75 = PromptWeights.chunks(t75, t.bosId(), t.eosId());
        assertEquals(2, c75.size());
        assertArrayEquals(new long[] {t.bosId(), t.eosId()}, c75.get(1).ids());
        // padding to the other prompt's length: end tokens of weight 1
        PromptWeights.Tokens p = PromptWeights.padTo(PromptWeights.tokens(t, "(cat)"), 3, t.eosId());
        assertArrayEquals(new long[] {t.ids("cat")[0], t.eosId(), t.eosId()}, p.ids());
        assertArrayEquals(new double[] {1.1, 1.0, 1.0}, p.weights());
    }
}
