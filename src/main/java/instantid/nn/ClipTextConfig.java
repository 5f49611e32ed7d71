package instantid.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import instantid.tensor.Weights;

/**
 * The shape of a transformers {@code CLIPTextModel} / {@code CLIPTextModelWithProjection}: from the
 * model's {@code config.json} ({@link #fromJson}) or, for a single-file checkpoint without one,
 * derived from the tensor shapes ({@link #fromWeights}).
 *
 * @param hiddenAct     "quick_gelu" (CLIP ViT-L, SDXL's first encoder) or "gelu" (OpenCLIP bigG)
 * @param eosTokenId    2 in the legacy configs SDXL ships: then the pooled position is
 *                      argmax(input_ids), as transformers keeps for compatibility
 * @param withProjection whether {@code text_projection} is applied (CLIPTextModelWithProjection)
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int heads, int layers,
                             int maxPositions, String hiddenAct, float layerNormEps, int eosTokenId,
                             int padTokenId, int projectionDim, boolean withProjection) {

    public ClipTextConfig {
        if (heads <= 0 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("CLIP text config: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + heads);
        }
        if (!hiddenAct.equals("gelu") && !hiddenAct.equals("quick_gelu")) {
            throw new IllegalArgumentException("CLIP text config: hidden_act '" + hiddenAct
                    + "' is not supported (gelu or quick_gelu)");
        }
        if (layers < 2) {
            throw new IllegalArgumentException("CLIP text config: " + layers
                    + " layers; the penultimate hidden state needs at least 2");
        }
    }

    /**
     * From a transformers {@code config.json} (or a fixture's config). The projection is used when
     * the architecture says {@code WithProjection} or, without an architecture, when the weights
     * have a {@code text_projection} ({@code w} may be null).
     */
    public static ClipTextConfig fromJson(JsonObject c, Weights w) {
        String arch = architecture(c);
        boolean proj = arch != null ? arch.contains("WithProjection")
                : w != null && w.has("text_projection.weight");
        int hidden = integer(c, "hidden_size", -1);
        if (hidden < 0) throw new IllegalArgumentException("CLIP text config: no hidden_size");
        return new ClipTextConfig(
                integer(c, "vocab_size", 49408), hidden, integer(c, "intermediate_size", hidden * 4),
                integer(c, "num_attention_heads", Math.max(1, hidden / 64)), integer(c, "num_hidden_layers", 12),
                integer(c, "max_position_embeddings", 77), string(c, "hidden_act", "quick_gelu"),
                (float) number(c, "layer_norm_eps", 1e-5), integer(c, "eos_token_id", 2),
                integer(c, "pad_token_id", 1), integer(c, "projection_dim", hidden), proj);
    }

    /**
     * Derived from the parameter shapes alone (single-file checkpoints): heads of 64 as every
     * published CLIP text tower, gelu with a projection (OpenCLIP bigG) and quick_gelu without
     * (OpenAI ViT-L) as SDXL pairs them, eps 1e-5 and the legacy eos id 2.
     */
    public static ClipTextConfig fromWeights(Weights all) {
        Weights w = ClipTextEncoder.textModel(all);
        if (!w.has("embeddings.token_embedding.weight")) {
            throw new IllegalArgumentException("not CLIP text encoder weights: no (text_model.)embeddings.token_embedding.weight");
        }
        long[] tok = w.shape("embeddings.token_embedding.weight").getShape();
        long[] pos = w.shape("embeddings.position_embedding.weight").getShape();
        int layers = 0;
        while (w.has("encoder.layers." + layers + ".self_attn.q_proj.weight")) layers++;
        if (layers == 0) throw new IllegalArgumentException("CLIP text weights: no encoder.layers.0");
        int hidden = (int) tok[1];
        int inter = (int) w.shape("encoder.layers.0.mlp.fc1.weight").get(0);
        boolean proj = all.has("text_projection.weight");
        int projDim = proj ? (int) all.shape("text_projection.weight").get(0) : hidden;
        return new ClipTextConfig((int) tok[0], hidden, inter, Math.max(1, hidden / 64), layers, (int) pos[0],
                proj ? "gelu" : "quick_gelu", 1e-5f, 2, 1, projDim, proj);
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    private static String architecture(JsonObject c) {
        JsonElement a = c.get("architecture");
        if (a != null && a.isJsonPrimitive()) return a.getAsString();
        a = c.get("architectures");
        if (a != null && a.isJsonArray() && a.getAsJsonArray().size() > 0) return a.getAsJsonArray().get(0).getAsString();
        return null;
    }

    static int integer(JsonObject c, String k, int d) {
        JsonElement e = c.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsInt();
    }

    static double number(JsonObject c, String k, double d) {
        JsonElement e = c.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsDouble();
    }

    static String string(JsonObject c, String k, String d) {
        JsonElement e = c.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsString();
    }
}
