package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import instantid.sample.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, the properties that define multi-identity composition (no reference implementation
 * exists): a single identity on the whole canvas is the single-identity pipeline, identities act
 * locally, overlaps follow the normalised-weights rule, and a two-person picture runs end to end.
 */
class MultiIdentityTest {

    private static InstantIdPipeline p;
    static final int W = 64, H = 64;

    @BeforeAll
    static void load() {
        p = TinyModels.instantId();
    }

    @AfterAll
    static void close() {
        if (p != null) p.close();
    }

    @Test
    void oneIdentityOnTheWholeCanvasIsTheSingleIdentityPipeline() {
        GenerationSettings g = TinyModels.settings(31);
        float[] e = TinyModels.embedding(9), k = TinyModels.kps(32, 30, 16);
        byte[] single = TinyModels.pixels(p.generate(TinyModels.request(g, new Identity(e, k, 0.8, 0.8)), Progress.NONE));
        byte[] explicit = TinyModels.pixels(p.generate(TinyModels.request(g,
                new Identity(e, k, 0.8, 0.8, new Region(0, 0, W, H, 0), "")), Progress.NONE));
        assertArrayEquals(single, explicit);
    }

    /** A wide canvas, so that the two halves are several receptive fields of the tiny UNet apart. */
    static final int LW = 320, LH = 64;

    /** Latents after the first step of a left/right two-person composition on the wide canvas. */
    static float[] firstStep(long embeddingA, long embeddingB) {
        GenerationSettings g = TinyModels.settings(32).withSteps(2).withSize(LW, LH);
        Identity a = new Identity(TinyModels.embedding(embeddingA), TinyModels.kps(80, 30, 12), 0.8, 0.8, new Region(0, 0, LW / 2, LH, 0), "");
        Identity b = new Identity(TinyModels.embedding(embeddingB), TinyModels.kps(240, 30, 12), 0.8, 0.8,
                new Region(LW / 2, 0, LW / 2, LH, 0), "");
        float[][] out = new float[1][];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray noise = new Rng(32).normal(m, new ai.djl.ndarray.types.Shape(1, 4, LH / 8, LW / 8));
            p.generate(new InstantIdRequest(g, List.of(a, b), 0, 1, Map.of()), noise, new Rng(32), 0, Progress.NONE,
                    (i, n, lat, x0) -> {
                        if (i == 0) out[0] = lat.toFloatArray();
                    });
        }
        return out[0];
    }

    /** Mean absolute difference over latent columns [x0, x1) of a [1, 4, LH/8, LW/8] latent. */
    static double meanDiff(float[] a, float[] b, int x0, int x1) {
        int lw = LW / 8, lh = LH / 8;
        double s = 0;
        int n = 0;
        for (int c = 0; c < 4; c++) {
            for (int y = 0; y < lh; y++) {
                for (int x = x0; x < x1; x++) {
                    int i = (c * lh + y) * lw + x;
                    s += Math.abs(a[i] - b[i]);
                    n++;
                }
            }
        }
        return s / n;
    }

    /**
     * Locality at the pipeline level. Inside one cross-attention layer an identity acts only in its
     * region, exactly (nn/UNetIpTest); across a whole UNet pass the rest of the network is global by
     * design (self-attention, convolutions, the 1/4-resolution blocks), so what reaches the other
     * region is the scene adapting, not the identity. The rule asserted, on a canvas wide enough
     * that the far quarter of A's half is several receptive fields from B: changing an identity's
     * embedding changes its own region at least 1.3 times as much as the far part of the other's.
     * Measured on the tiny random model: B's own half 0.209 vs A's far quarter 0.111 (×1.9); A's own
     * far quarter 0.144 vs B's half 0.098 (×1.5).
     */
    @Test
    void eachIdentityChangesItsOwnRegionMoreThanTheOther() {
        float[] base = firstStep(1, 2);
        int lw = LW / 8;
        float[] otherB = firstStep(1, 3);
        double bInA = meanDiff(base, otherB, 0, lw / 4), bInB = meanDiff(base, otherB, lw / 2, lw);
        float[] otherA = firstStep(4, 2);
        double aInA = meanDiff(base, otherA, 0, lw / 4), aInB = meanDiff(base, otherA, lw / 2, lw);
        assertTrue(bInB > 0 && aInA > 0, "an identity's embedding changes nothing");
        assertTrue(bInB > 1.3 * bInA, "changing B: its own half " + bInB + ", A's far quarter " + bInA);
        assertTrue(aInA > 1.3 * aInB, "changing A: its own far quarter " + aInA + ", B's half " + aInB);
    }

    @Test
    void overlapsAreNormalisedAndDisjointRegionsNeverLeak() {
        Identity a = new Identity(TinyModels.embedding(1), TinyModels.kps(16, 30, 12), 1, 1, new Region(0, 0, 40, 64, 8), "");
        Identity b = new Identity(TinyModels.embedding(2), TinyModels.kps(48, 30, 12), 1, 1, new Region(24, 0, 40, 64, 8), "");
        List<float[]> m = Regions.normalised(List.of(a, b), 64, 64, 64, 64, 0);
        for (int p = 0; p < 64 * 64; p++) {
            float sum = m.get(0)[p] + m.get(1)[p];
            assertTrue(sum <= 1f + 1e-6f, "weights sum to " + sum + " at " + p);
        }
        assertEquals(0.5f, m.get(0)[32 * 64 + 32], 1e-6f, "the middle of the overlap is shared equally");
        Identity c = new Identity(TinyModels.embedding(1), TinyModels.kps(16, 30, 12), 1, 1, new Region(0, 0, 24, 64, 0), "");
        Identity d = new Identity(TinyModels.embedding(2), TinyModels.kps(48, 30, 12), 1, 1, new Region(40, 0, 24, 64, 0), "");
        List<float[]> n = Regions.normalised(List.of(c, d), 64, 64, 64, 64, 0);
        float[] alone = Regions.mask(c.region(), 64, 64, 64, 64, 0);
        assertArrayEquals(alone, n.get(0), "disjoint regions are not rescaled");
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int i = y * 64 + x;
                if (x >= 40) assertEquals(0f, n.get(0)[i], "identity 1 leaks into identity 2's region at " + x + "," + y);
                if (x >= 24 && x < 40) assertEquals(0f, n.get(0)[i] + n.get(1)[i], "outside every region only text acts");
            }
        }
    }

    @Test
    void aTwoPersonCompositionRunsEndToEnd(@TempDir Path tmp) throws Exception {
        GenerationSettings g = TinyModels.settings(33);
        Identity a = new Identity(TinyModels.embedding(1), TinyModels.kps(16, 30, 12), 0.8, 0.8, new Region(0, 0, 32, 64, 4), "smiling");
        Identity b = new Identity(TinyModels.embedding(2), TinyModels.kps(48, 30, 12), 0.7, 0.6, new Region(32, 0, 32, 64, 4), "");
        Result r = p.generate(new InstantIdRequest(g, List.of(a, b), 0, 1, Map.of()), Progress.NONE);
        assertEquals(1, r.images().size());
        Path png = tmp.resolve("two.png");
        Png.write(png, r.images().get(0), SettingsJson.pngText(r.settingsJson()));
        assertTrue(Files.size(png) > 100);
        assertEquals(2, SettingsJson.readInstantId(r.settingsJson()).identities().size());
    }
}
