package instantid.pipeline;

import java.util.List;
import java.util.Locale;

/**
 * Several photos of one person → one identity embedding. MEAN averages the raw ArcFace
 * embeddings (the paper); NORMALIZED_MEAN averages unit-length embeddings and rescales to the
 * mean norm, so one photo with a large-norm embedding does not dominate (as the ComfyUI nodes offer).
 */
public final class Embeddings {

    public enum Combine { MEAN, NORMALIZED_MEAN;

        public static Combine parse(String s) {
            switch (s.toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "mean": case "average": return MEAN;
                case "normalized_mean": case "norm_mean": case "normalised_mean": return NORMALIZED_MEAN;
                default: throw new IllegalArgumentException("embedding combination '" + s + "': use mean or normalized_mean");
            }
        }
    }

    private Embeddings() {
    }

    public static float[] combine(List<float[]> embeddings, Combine how) {
        if (embeddings.isEmpty()) throw new IllegalArgumentException("no face embedding to combine");
        int n = embeddings.get(0).length;
        double[] acc = new double[n];
        double normSum = 0;
        for (float[] e : embeddings) {
            if (e.length != n) throw new IllegalArgumentException("embeddings of different sizes: " + n + " and " + e.length);
            double norm = norm(e);
            normSum += norm;
            double f = how == Combine.NORMALIZED_MEAN ? 1.0 / Math.max(norm, 1e-12) : 1.0;
            for (int i = 0; i < n; i++) acc[i] += e[i] * f;
        }
        float[] out = new float[n];
        int k = embeddings.size();
        if (how == Combine.MEAN) {
            for (int i = 0; i < n; i++) out[i] = (float) (acc[i] / k);
        } else {
            double[] mean = new double[n];
            for (int i = 0; i < n; i++) mean[i] = acc[i] / k;
            double m = 0;
            for (double v : mean) m += v * v;
            double scale = (normSum / k) / Math.max(Math.sqrt(m), 1e-12);
            for (int i = 0; i < n; i++) out[i] = (float) (mean[i] * scale);
        }
        return out;
    }

    static double norm(float[] e) {
        double s = 0;
        for (float v : e) s += (double) v * v;
        return Math.sqrt(s);
    }
}
