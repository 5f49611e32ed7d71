package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import instantid.common.CancelToken;
import instantid.nn.Vae;
import instantid.tensor.Scope;

/**
 * Latents → pixels as the SDXL pipeline: divide by the VAE's scaling factor, decode (float32 under
 * force_upcast), {@code (x / 2 + 0.5).clamp(0, 1)}, then 8-bit as {@code (x * 255).round()}.
 */
final class Decoding {

    private Decoding() {
    }

    /** [1, H, W, 3] float image in 0..1 (the reference's {@code output_type="np"}). */
    static NDArray toImage01(Vae vae, NDArray latents, CancelToken cancel) {
        try (Scope s = new Scope()) {
            NDArray px = vae.decode(vae.unscale(latents.toType(vae.computeDType(), false)), cancel);
            NDArray img = px.toType(DataType.FLOAT32, false).div(2f).add(0.5f).clip(0f, 1f).transpose(0, 2, 3, 1);
            return s.keep(img);
        }
    }

    static byte[] toRgb8(NDArray image01) {
        float[] v = image01.toFloatArray();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) Math.round(v[i] * 255f);
        return out;
    }
}
