package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The cheap preview: SDXL's four latent channels mapped linearly to RGB (the factors ComfyUI and
 * A1111 use for SDXL latents), one pixel per latent cell, without running the VAE.
 */
public final class LatentPreview {

    private static final float[][] FACTORS = {
            {0.3651f, 0.4232f, 0.4341f},
            {-0.2533f, -0.0042f, 0.1068f},
            {0.1076f, 0.1111f, -0.0362f},
            {-0.3165f, -0.2492f, -0.2188f},
    };
    private static final float[] BIAS = {0.1084f, -0.0175f, -0.0011f};

    private LatentPreview() {
    }

    /** Preview of the first latent of a [B, 4, h, w] batch. */
    public static Preview of(NDArray latents) {
        long h = latents.getShape().get(2), w = latents.getShape().get(3);
        float[] v = latents.get(0).toType(DataType.FLOAT32, false).toFloatArray();
        int n = (int) (h * w);
        byte[] rgb = new byte[n * 3];
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                float s = BIAS[c];
                for (int k = 0; k < 4; k++) s += FACTORS[k][c] * v[k * n + p];
                int q = Math.round((s + 1f) * 127.5f);
                rgb[p * 3 + c] = (byte) Math.max(0, Math.min(255, q));
            }
        }
        return new Preview((int) w, (int) h, rgb);
    }
}
