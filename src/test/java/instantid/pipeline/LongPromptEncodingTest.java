package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import instantid.nn.SdxlTextConditioning;
import instantid.text.ClipTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongPromptEncodingTest {

    private static SdxlModels m;
    private static NDManager nd;

    @BeforeAll
    static void load() {
        m = SdxlModels.load(TinyModels.folder(), Runtime.resolve(RuntimeOptions.CPU_FP32), Progress.NONE);
        nd = m.manager.newSubManager();
    }

    @AfterAll
    static void close() {
        if (nd != null) nd.close();
        if (m != null) m.close();
    }

    private static PromptEncoding.Conditioning lpw(String p, String n, boolean cfg) {
        return LongPromptEncoding.encode(m, nd, p, n, cfg);
    }

    private static PromptEncoding.Conditioning plain(String p, String n, boolean cfg) {
        return PromptEncoding.encode(m, nd, p, n, cfg, Progress.NONE);
    }

    private static float[] f(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }

    private static NDArray prefix(NDArray e, long len) {
        return e.get(new NDIndex(":, :{}, :", len));
    }

    @Test
    void withoutWeightsAndWithin75TokensItIsPlainEncodingUpToTheEndToken() {
        ClipTokenizer t = m.tokenizer1;
        String prompt = "a photo of a person, film grain";
        int len = t.ids(prompt).length + 2;
        PromptEncoding.Conditioning a = lpw(prompt, null, false);
        PromptEncoding.Conditioning b = plain(prompt, null, false);
        // not padded to 77: start + tokens + end
        assertEquals(new Shape(1, len, b.embeds().getShape().get(2)), a.embeds().getShape());
        // causal attention: the states up to the end token do not depend on what follows it
        assertArrayEquals(f(prefix(b.embeds(), len)), f(a.embeds()), 1e-5f);
        assertArrayEquals(f(b.pooled()), f(a.pooled()), 1e-5f);
        // with guidance, prompts of equal length: both rows as plain encoding
        String neg = "a drawing of a dog, film grain";
        assertEquals(len, t.ids(neg).length + 2);
        PromptEncoding.Conditioning c = lpw(prompt, neg, true);
        PromptEncoding.Conditioning d = plain(prompt, neg, true);
        assertEquals(2, c.embeds().getShape().get(0));
        assertArrayEquals(f(prefix(d.embeds(), len)), f(c.embeds()), 1e-5f);
        assertArrayEquals(f(d.pooled()), f(c.pooled()), 1e-5f);
    }

    @Test
    void weightsInterpolateFromTheEndTokenStateOnTheWeightedTokensOnly() {
        PromptEncoding.Conditioning w = lpw("a (red:1.5) cat [fish]", null, false);
        PromptEncoding.Conditioning p = lpw("a red cat fish", null, false);
        long n = p.embeds().getShape().get(1), c = p.embeds().getShape().get(2);
        assertEquals(6, n); // start a red cat fish end
        float[] e = f(p.embeds()), ew = f(w.embeds());
        float[] weights = {1, 1, LongPromptEncoding.half(1.5), 1, LongPromptEncoding.half(1 / 1.1), 1};
        assertEquals(1.5f, weights[2]);
        assertEquals(0.9091796875f, weights[4]); // 1/1.1 as float16
        int last = (int) ((n - 1) * c);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < c; k++) {
                int i = (int) (j * c + k);
                float expect = weights[j] == 1f ? e[i] : e[last + k] + (e[i] - e[last + k]) * weights[j];
                assertEquals(expect, ew[i], 1e-5f, "position " + j + " channel " + k);
            }
        }
        // the pooled embedding is the end token's: weights do not reach it
        assertArrayEquals(f(p.pooled()), f(w.pooled()), 1e-6f);
        boolean changed = false;
        for (int k = 0; k < c; k++) changed |= ew[(int) (2 * c + k)] != e[(int) (2 * c + k)];
        assertTrue(changed, "the weighted token's state changed");
    }

    @Test
    void longPromptsAreChunkedNotTruncatedAndThePooledIsTheLastChunks() {
        ClipTokenizer t = m.tokenizer1;
        String prompt = String.join(" ", Collections.nCopies(90, "cat")) + ", red dog";
        long[] ids = t.ids(prompt);
        assertEquals(93, ids.length);
        PromptEncoding.Conditioning a = lpw(prompt, "blurry", true);
        // 75 + 18 tokens: chunks of 77 and 20 positions, for the prompt and the (padded) negative
        assertEquals(97, a.embeds().getShape().get(1));
        assertEquals(2, a.embeds().getShape().get(0));
        // the first chunk is the plain encoding of the first 75 tokens (plain truncates to exactly that)
        PromptEncoding.Conditioning b = plain(prompt, null, false);
        assertArrayEquals(f(b.embeds()), f(a.embeds().get(new NDIndex("1:2, :77, :"))), 1e-5f);
        // the pooled embedding is the second chunk's, not the first's
        long[] chunk2 = new long[20];
        chunk2[0] = t.bosId();
        System.arraycopy(ids, 75, chunk2, 1, 18);
        chunk2[19] = t.eosId();
        NDArray c2 = nd.create(chunk2, new Shape(1, 20));
        SdxlTextConditioning direct = SdxlTextConditioning.encode(m.textEncoder1, c2, m.textEncoder2, c2);
        assertArrayEquals(f(direct.pooled()), f(a.pooled().get(new NDIndex("1:2, :"))), 1e-5f);
        assertArrayEquals(f(direct.promptEmbeds()), f(a.embeds().get(new NDIndex("1:2, 77:, :"))), 1e-5f);
        // the negative prompt is padded with end tokens to the same 93 tokens: chunk 2 is all end tokens
        long[] negChunk2 = new long[20];
        java.util.Arrays.fill(negChunk2, t.eosId());
        negChunk2[0] = t.bosId();
        NDArray n2 = nd.create(negChunk2, new Shape(1, 20));
        SdxlTextConditioning negDirect = SdxlTextConditioning.encode(m.textEncoder1, n2, m.textEncoder2, n2);
        assertArrayEquals(f(negDirect.pooled()), f(a.pooled().get(new NDIndex("0:1, :"))), 1e-5f);
    }

    @Test
    void aMissingNegativeIsTheEmptyStringNotZeros() {
        PromptEncoding.Conditioning a = lpw("a cat", null, true);
        PromptEncoding.Conditioning b = lpw("a cat", "", true);
        assertArrayEquals(f(b.embeds()), f(a.embeds()), 0f);
        assertTrue(f(a.pooled().get(new NDIndex("0:1, :")))[0] != 0f || f(a.pooled().get(new NDIndex("0:1, :")))[1] != 0f);
    }
}
