package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * transformers' {@code CLIPTextModel} and {@code CLIPTextModelWithProjection}: token + position
 * embeddings, pre-LayerNorm transformer layers with causal self-attention, a final LayerNorm, the
 * pooled state at the end token and (with projection) {@code text_projection}. Parameter names are
 * transformers' ({@code text_model.encoder.layers.N.self_attn.q_proj.weight}, ...).
 */
public final class ClipTextEncoder {

    /**
     * One forward's results; arrays belong to the manager of the input ids.
     *
     * @param lastHidden  [B, N, C] after the final LayerNorm ({@code last_hidden_state})
     * @param penultimate [B, N, C] output of the second-to-last layer, no final LayerNorm
     *                    ({@code hidden_states[-2]}, what SDXL conditions on)
     * @param pooled      [B, C] the final-normed state at the end-token position
     * @param textEmbeds  [B, P] {@code text_projection(pooled)}, or null without a projection
     */
    public record Output(NDArray lastHidden, NDArray penultimate, NDArray pooled, NDArray textEmbeds)
            implements AutoCloseable {
        @Override
        public void close() {
            lastHidden.close();
            penultimate.close();
            pooled.close();
            if (textEmbeds != null) textEmbeds.close();
        }
    }

    private final ClipTextConfig cfg;
    private final Weights w;
    private final Weights tm;

    public ClipTextEncoder(ClipTextConfig cfg, Weights w) {
        this.cfg = cfg;
        this.w = w;
        this.tm = textModel(w);
        if (cfg.withProjection() && !w.has("text_projection.weight")) {
            throw new IllegalArgumentException("CLIP text encoder with projection: weight 'text_projection.weight' is missing");
        }
    }

    /**
     * The transformer's weights: under {@code text_model.} as transformers has saved them for
     * years, or at the top level as transformers 5 saves a bare {@code CLIPTextModel}.
     */
    static Weights textModel(Weights w) {
        return w.has("text_model.embeddings.token_embedding.weight") ? w.sub("text_model.") : w;
    }

    /** Config derived from the weights' shapes (see {@link ClipTextConfig#fromWeights}). */
    public static ClipTextEncoder fromWeights(Weights w) {
        return new ClipTextEncoder(ClipTextConfig.fromWeights(w), w);
    }

    public ClipTextConfig config() {
        return cfg;
    }

    public Weights weights() {
        return w;
    }

    /** Encodes token ids (rows of equal length, at most max_position_embeddings) on {@code m}. */
    public Output encode(NDManager m, long[][] ids) {
        int b = ids.length, n = ids[0].length;
        long[] flat = new long[b * n];
        for (int i = 0; i < b; i++) {
            if (ids[i].length != n) throw new IllegalArgumentException("token id rows differ in length: " + n + " and " + ids[i].length);
            System.arraycopy(ids[i], 0, flat, i * n, n);
        }
        try (NDArray a = m.create(flat, new Shape(b, n))) {
            return encode(a);
        }
    }

    /** Encodes {@code inputIds} [B, N] (int32/int64); the outputs belong to its manager. */
    public Output encode(NDArray inputIds) {
        Shape s = inputIds.getShape();
        if (s.dimension() != 2) throw new IllegalArgumentException("input_ids must be [batch, tokens], got " + s);
        long b = s.get(0), n = s.get(1);
        if (n > cfg.maxPositions()) {
            throw new IllegalArgumentException("input_ids has " + n + " tokens, more than the " + cfg.maxPositions()
                    + " positions of the text encoder: truncate with the tokenizer first");
        }
        NDManager out = inputIds.getManager();
        try (Scope scope = new Scope()) {
            NDArray ids = inputIds.toType(DataType.INT64, false).reshape(b * n);
            long[] idsJava = ids.toLongArray();
            NDArray tok = tm.get("embeddings.token_embedding.weight").get(new NDIndex("{}", ids));
            tok.attach(out);
            NDArray pos = tm.get("embeddings.position_embedding.weight").get(new NDIndex("0:{}", n));
            NDArray h = tok.reshape(b, n, cfg.hiddenSize()).add(pos);
            NDArray mask = causalMask(out, n, h.getDataType());
            NDArray penultimate = null;
            for (int i = 0; i < cfg.layers(); i++) {
                // each layer in its own scope: its intermediates (and, in sequential memory mode, its
                // weights) are freed when it returns
                NDArray in = h;
                Weights lw = tm.sub("encoder.layers." + i + ".");
                h = Scope.run(() -> layer(in, lw, mask));
                if (i == cfg.layers() - 2) penultimate = h;
            }
            NDArray last = Ops.layerNorm(h, tm, "final_layer_norm", cfg.layerNormEps());
            NDArray pooled = gatherRows(last, eosPositions(idsJava, (int) b, (int) n));
            NDArray embeds = cfg.withProjection() ? Ops.linear(pooled, w, "text_projection") : null;
            scope.keep(last);
            scope.keep(penultimate);
            scope.keep(pooled);
            if (embeds != null) scope.keep(embeds);
            return new Output(last, penultimate, pooled, embeds);
        }
    }

    /**
     * The position pooled per row: transformers' rule — with the legacy {@code eos_token_id == 2}
     * the argmax of the ids (the end token has the largest id of CLIP's vocabulary), otherwise the
     * first position holding {@code eos_token_id} (0 when absent, as argmax of all-false).
     */
    int[] eosPositions(long[] ids, int b, int n) {
        int[] pos = new int[b];
        for (int r = 0; r < b; r++) {
            int best = 0;
            for (int t = 0; t < n; t++) {
                long v = ids[r * n + t];
                if (cfg.eosTokenId() == 2) {
                    if (v > ids[r * n + best]) best = t;
                } else if (v == cfg.eosTokenId()) {
                    best = t;
                    break;
                }
            }
            pos[r] = best;
        }
        return pos;
    }

    private NDArray layer(NDArray x, Weights lw, NDArray mask) {
        return ClipEncoderLayer.forward(x, lw, cfg.heads(), cfg.hiddenAct(), cfg.layerNormEps(), mask);
    }

    /** [1, 1, N, N]: 0 on and below the diagonal, -inf above (a token sees only earlier ones). */
    static NDArray causalMask(NDManager m, long n, DataType dt) {
        float[] v = new float[(int) (n * n)];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) v[(int) (i * n + j)] = Float.NEGATIVE_INFINITY;
        }
        NDArray mask = m.create(v, new Shape(1, 1, n, n));
        return dt == DataType.FLOAT32 ? mask : mask.toType(dt, false);
    }

    private static NDArray gatherRows(NDArray x, int[] pos) {
        NDList rows = new NDList();
        for (int r = 0; r < pos.length; r++) rows.add(x.get(new NDIndex("{}, {}, :", r, pos[r])));
        return NDArrays.stack(rows, 0);
    }
}
