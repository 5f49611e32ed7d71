package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Scope;

/**
 * SDXL's text conditioning from its two encoders: {@code prompt_embeds} = the penultimate hidden
 * states of both, concatenated along the channel axis ([B, 77, 768 + 1280] for the real models), and
 * {@code pooled} = the projected end-token embedding of the second encoder ([B, 1280]). Arrays belong
 * to the manager of the first encoder's ids.
 */
public record SdxlTextConditioning(NDArray promptEmbeds, NDArray pooled) implements AutoCloseable {

    /**
     * Runs both encoders on their own token ids (the tokenizers pad differently: the end token for
     * the first, "!" for the second) and combines them as diffusers' {@code encode_prompt}.
     */
    public static SdxlTextConditioning encode(ClipTextEncoder te1, NDArray ids1, ClipTextEncoder te2, NDArray ids2) {
        if (!te2.config().withProjection()) {
            throw new IllegalArgumentException("SDXL's second text encoder must have a text_projection (CLIPTextModelWithProjection)");
        }
        if (ids1.getShape().get(0) != ids2.getShape().get(0)) {
            throw new IllegalArgumentException("token id batches differ: " + ids1.getShape() + " and " + ids2.getShape());
        }
        try (Scope s = new Scope();
             ClipTextEncoder.Output o1 = te1.encode(ids1);
             ClipTextEncoder.Output o2 = te2.encode(ids2)) {
            NDArray h1 = o1.penultimate();
            NDArray h2 = o2.penultimate();
            if (h2.getDataType() != h1.getDataType()) h2 = h2.toType(h1.getDataType(), false);
            NDArray embeds = h1.concat(h2, -1);
            NDArray pooled = o2.textEmbeds().duplicate();
            pooled.attach(ids1.getManager());
            return new SdxlTextConditioning(s.keep(embeds), s.keep(pooled));
        }
    }

    @Override
    public void close() {
        promptEmbeds.close();
        pooled.close();
    }
}
