package instantid.pipeline;

/**
 * The ID-attention map of one generated image ("where the identity acts"), at the output's size,
 * row-major, each value in 0..1: see {@link IdAttentionRecorder} for exactly what is measured.
 * {@code steps} and {@code layers} say how many UNet calls and IP cross-attention layers were
 * averaged.
 */
public record IdMap(int width, int height, float[] values, int steps, int layers) {

    public IdMap {
        if (values.length != width * height) {
            throw new IllegalArgumentException("an ID map of " + width + "x" + height + " needs " + width * height + " values");
        }
    }

    public double mean() {
        double s = 0;
        for (float v : values) s += v;
        return s / values.length;
    }

    public float max() {
        float m = 0;
        for (float v : values) m = Math.max(m, v);
        return m;
    }

    /** As 8-bit grey levels (0..1 to 0..255), row-major: for an image file or an overlay. */
    public byte[] grey8() {
        byte[] g = new byte[values.length];
        for (int i = 0; i < g.length; i++) g[i] = (byte) Math.round(Math.max(0, Math.min(1, values[i])) * 255);
        return g;
    }
}
