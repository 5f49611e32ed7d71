package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import instantid.io.Half;
import instantid.nn.ClipTextEncoder;
import instantid.nn.SdxlTextConditioning;
import instantid.tensor.Scope;
import instantid.text.ClipTokenizer;
import instantid.text.PromptWeights;

import java.util.List;

/**
 * The text encoder of InstantID's app pipeline ({@code get_weighted_text_embeddings_sdxl} of
 * {@code pipeline_stable_diffusion_xl_instantid_full.py}, from diffusers' community
 * {@code lpw_stable_diffusion_xl.py}), step for step:
 * <ol>
 * <li>Prompt and negative prompt are parsed for weights and tokenized by the <em>first</em>
 *     tokenizer, for both encoders (the app does not use the second tokenizer: its "!" padding
 *     token splits "!!" differently).</li>
 * <li>The shorter token list is padded with the end token (weight 1) to the other's length, so
 *     both have the same chunks.</li>
 * <li>Tokens go in chunks of 75 plus start and end token; the last chunk is not padded (a short
 *     prompt gives a short sequence: 12 tokens → 14 positions, not 77).</li>
 * <li>Each chunk runs through both encoders; their penultimate hidden states are concatenated, and
 *     every position whose weight (rounded to float16, as the app's weight tensor) is not 1 becomes
 *     {@code e[-1] + (e[j] - e[-1]) * w}: interpolated from the chunk's last (end-token) state, not
 *     a plain product.</li>
 * <li>Chunks are concatenated along the sequence; the pooled embedding is the second encoder's
 *     projected end-token state of the <em>last</em> chunk.</li>
 * </ol>
 * A missing negative prompt is the empty string (the app always sends one; there are no zero
 * embeddings here). Without guidance only the prompt is encoded, still padded to the negative's
 * length as the app does.
 */
final class LongPromptEncoding {

    private LongPromptEncoding() {
    }

    static PromptEncoding.Conditioning encode(SdxlModels m, NDManager target, String prompt, String negative,
                                              boolean guidance) {
        return encode(m.tokenizer1, m.textEncoder1, m.textEncoder2, target, prompt, negative, guidance);
    }

    static PromptEncoding.Conditioning encode(ClipTokenizer tok, ClipTextEncoder te1, ClipTextEncoder te2,
                                              NDManager target, String prompt, String negative, boolean guidance) {
        PromptWeights.Tokens pos = PromptWeights.tokens(tok, prompt == null ? "" : prompt);
        PromptWeights.Tokens neg = PromptWeights.tokens(tok, negative == null ? "" : negative);
        int n = Math.max(pos.size(), neg.size());
        pos = PromptWeights.padTo(pos, n, tok.eosId());
        neg = PromptWeights.padTo(neg, n, tok.eosId());
        List<PromptWeights.Tokens> posChunks = PromptWeights.chunks(pos, tok.bosId(), tok.eosId());
        List<PromptWeights.Tokens> negChunks = PromptWeights.chunks(neg, tok.bosId(), tok.eosId());
        try (Scope s = new Scope()) {
            NDArray embeds = null;
            NDArray pooled = null;
            for (int c = 0; c < posChunks.size(); c++) {
                List<PromptWeights.Tokens> rows = guidance ? List.of(negChunks.get(c), posChunks.get(c))
                        : List.of(posChunks.get(c));
                int len = rows.get(0).size();
                long[] flat = new long[rows.size() * len];
                float[] weights = new float[rows.size() * len];
                for (int r = 0; r < rows.size(); r++) {
                    System.arraycopy(rows.get(r).ids(), 0, flat, r * len, len);
                    for (int j = 0; j < len; j++) weights[r * len + j] = half(rows.get(r).weights()[j]);
                }
                NDArray ids = target.create(flat, new Shape(rows.size(), len));
                SdxlTextConditioning tc = SdxlTextConditioning.encode(te1, ids, te2, ids);
                NDArray e = weighted(tc.promptEmbeds(), target.create(weights, new Shape(rows.size(), len, 1)));
                embeds = embeds == null ? e : embeds.concat(e, 1);
                pooled = tc.pooled(); // the last chunk's, as the app
            }
            return new PromptEncoding.Conditioning(s.keep(embeds), s.keep(pooled));
        }
    }

    /** {@code e[j] = e[-1] + (e[j] - e[-1]) * w[j]} where {@code w[j] != 1}; other positions untouched. */
    static NDArray weighted(NDArray e, NDArray w) {
        long len = e.getShape().get(1);
        NDArray last = e.get(new NDIndex(":, {}:, :", len - 1));
        NDArray wt = w.toType(e.getDataType(), false);
        NDArray moved = last.add(e.sub(last).mul(wt));
        return NDArrays.where(w.neq(1f).broadcast(e.getShape()), moved, e);
    }

    /** A weight as the app's float16 weight tensor holds it. */
    static float half(double w) {
        return Half.toFloat(Half.fromFloat((float) w));
    }
}
