package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import instantid.nn.SdxlTextConditioning;
import instantid.tensor.Scope;
import instantid.text.ClipTokenizer;

/**
 * SDXL's {@code encode_prompt}: both tokenizers, both text encoders, penultimate states
 * concatenated, pooled embedding of the second encoder. With guidance the batch is
 * [negative ; positive]; a missing negative prompt gives zero embeddings when the model says
 * {@code force_zeros_for_empty_prompt}, an empty string is encoded like any prompt.
 */
final class PromptEncoding {

    /** [n, L, C] context (L = 77 here) and [n, P] pooled embedding; n = 2 with guidance (negative first). */
    record Conditioning(NDArray embeds, NDArray pooled) {
    }

    private PromptEncoding() {
    }

    /** {@link LongPromptEncoding} or this plain encoding, as {@code encoder} says. */
    static Conditioning encode(PromptEncoder encoder, SdxlModels m, NDManager target, String prompt, String negative,
                               boolean guidance, Progress progress) {
        if (encoder == PromptEncoder.LPW) return LongPromptEncoding.encode(m, target, prompt, negative, guidance);
        return encode(m, target, prompt, negative, guidance, progress);
    }

    static Conditioning encode(SdxlModels m, NDManager target, String prompt, String negative, boolean guidance,
                               Progress progress) {
        boolean zeroNegative = guidance && negative == null && m.forceZerosForEmptyPrompt;
        String neg = negative == null ? "" : negative;
        String[] texts = guidance && !zeroNegative ? new String[] {neg, prompt} : new String[] {prompt};
        long[][] ids1 = new long[texts.length][];
        long[][] ids2 = new long[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            ids1[i] = tokens(m.tokenizer1, texts[i], progress);
            ids2[i] = m.tokenizer2.encode(texts[i]).ids();
        }
        try (Scope s = new Scope()) {
            NDArray a1 = target.create(flat(ids1), new Shape(texts.length, ids1[0].length));
            NDArray a2 = target.create(flat(ids2), new Shape(texts.length, ids2[0].length));
            SdxlTextConditioning c = SdxlTextConditioning.encode(m.textEncoder1, a1, m.textEncoder2, a2);
            NDArray embeds = c.promptEmbeds();
            NDArray pooled = c.pooled();
            if (zeroNegative) {
                embeds = embeds.zerosLike().concat(embeds, 0);
                pooled = pooled.zerosLike().concat(pooled, 0);
            }
            return new Conditioning(s.keep(embeds), s.keep(pooled));
        }
    }

    private static long[] tokens(ClipTokenizer t, String text, Progress progress) {
        ClipTokenizer.Encoding e = t.encode(text);
        if (e.dropped() > 0) {
            progress.status("warning: the prompt is longer than " + t.maxLength() + " tokens; " + e.dropped()
                    + " tokens at its end were dropped (as the reference pipeline truncates)");
        }
        return e.ids();
    }

    private static long[] flat(long[][] rows) {
        long[] out = new long[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        return out;
    }
}
