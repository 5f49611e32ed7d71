package instantid.face;

/** Small helpers on embeddings. */
public final class Faces {

    private Faces() {
    }

    /**
     * Cosine similarity of two embeddings (insightface's {@code compute_sim}): 1 for the same
     * direction, about 0 for unrelated faces. Raw (unnormalised) embeddings are fine.
     */
    public static double cosineSimilarity(float[] a, float[] b) {
        if (a == null || b == null) throw new IllegalArgumentException("cosine similarity needs two embeddings");
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings differ in length: " + a.length + " vs " + b.length);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) throw new IllegalArgumentException("cosine similarity of an all-zero embedding");
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    /** The L2-normalised copy ({@code face.normed_embedding}). */
    public static float[] normalized(float[] e) {
        double n = 0;
        for (float v : e) n += (double) v * v;
        n = Math.sqrt(n);
        float[] out = new float[e.length];
        for (int i = 0; i < e.length; i++) out[i] = (float) (e[i] / n);
        return out;
    }
}
