package instantid.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prediction-type conversion: each type against its formula written out per element in float
 * (bit for bit, as the samplers had it), and as a round trip from known x0 and eps.
 */
class PredictionTest {

    private static final float[] X0 = {0.5f, -1.25f, 2f, 0.1f, -0.3f, 0f};
    private static final float[] EPS = {-0.7f, 0.2f, 1.5f, -2f, 0.05f, 1f};
    private static final float[] X = {0.9f, -0.4f, 3.1f, -1.7f, 0.25f, 0.6f};
    private static final float[] OUT = {0.3f, -0.8f, 0.45f, 1.2f, -1.9f, 0.01f};

    @Test
    void parsesTheConfigSpellingsAndRefusesOthersNamingTheSampler() {
        assertEquals(Prediction.EPSILON, Prediction.parse("epsilon", "ddim"));
        assertEquals(Prediction.V_PREDICTION, Prediction.parse("v_prediction", "ddim"));
        assertEquals(Prediction.SAMPLE, Prediction.parse("sample", "ddim"));
        for (Prediction p : Prediction.values()) assertEquals(p, Prediction.parse(p.key(), "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prediction.parse("flow", "lcm"));
        assertTrue(e.getMessage().startsWith("lcm: prediction_type 'flow'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Prediction.parse(null, "euler"));
    }

    @Test
    void alphaParametrisationIsTheFormulaBitForBit() {
        float a = 0.8f, s = 0.6f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = m.create(OUT), x = m.create(X);
            float[] x0e = new float[X.length], x0v = new float[X.length], epsv = new float[X.length], epss = new float[X.length];
            for (int i = 0; i < X.length; i++) {
                x0e[i] = (X[i] - OUT[i] * s) / a;
                x0v[i] = X[i] * a - OUT[i] * s;
                epsv[i] = OUT[i] * a + X[i] * s;
                epss[i] = (X[i] - OUT[i] * a) / s;
            }
            assertArrayEquals(x0e, Prediction.EPSILON.toX0(out, x, a, s).toFloatArray());
            assertArrayEquals(x0v, Prediction.V_PREDICTION.toX0(out, x, a, s).toFloatArray());
            assertArrayEquals(OUT, Prediction.EPSILON.toEps(out, x, a, s).toFloatArray());
            assertArrayEquals(epsv, Prediction.V_PREDICTION.toEps(out, x, a, s).toFloatArray());
            assertArrayEquals(epss, Prediction.SAMPLE.toEps(out, x, a, s).toFloatArray());
            assertSame(out, Prediction.SAMPLE.toX0(out, x, a, s), "sample: x0 is the output itself");
        }
    }

    @Test
    void sigmaParametrisationIsTheFormulaBitForBit() {
        float sg = 3.7f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = m.create(OUT), x = m.create(X);
            float c = -sg / (float) Math.sqrt(sg * sg + 1f);
            float[] x0e = new float[X.length], x0v = new float[X.length];
            for (int i = 0; i < X.length; i++) {
                x0e[i] = X[i] - OUT[i] * sg;
                x0v[i] = OUT[i] * c + X[i] / (sg * sg + 1f);
            }
            assertArrayEquals(x0e, Prediction.EPSILON.toX0(out, x, sg).toFloatArray());
            assertArrayEquals(x0v, Prediction.V_PREDICTION.toX0(out, x, sg).toFloatArray());
            assertSame(out, Prediction.SAMPLE.toX0(out, x, sg));
        }
    }

    @Test
    void eachTypeRecoversKnownX0AndEps() {
        float alphaBar = 0.3f;
        float a = (float) Math.sqrt(alphaBar), s = (float) Math.sqrt(1 - alphaBar);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(X0), eps = m.create(EPS);
            NDArray x = x0.mul(a).add(eps.mul(s));
            NDArray v = eps.mul(a).sub(x0.mul(s));
            NDArray[] outs = {eps, v, x0};
            for (Prediction p : Prediction.values()) {
                NDArray out = outs[p.ordinal()];
                assertClose(X0, p.toX0(out, x, a, s), p + " x0");
                assertClose(EPS, p.toEps(out, x, a, s), p + " eps");
            }
            // sigma space: x = x0 + sigma eps; the network saw x / sqrt(sigma^2 + 1), where alpha = 1 / sqrt(sigma^2 + 1)
            float sg = 2.5f;
            float as = 1f / (float) Math.sqrt(sg * sg + 1f), ss = sg * as;
            NDArray xs = x0.add(eps.mul(sg));
            NDArray vs = eps.mul(as).sub(x0.mul(ss));
            NDArray[] souts = {eps, vs, x0};
            for (Prediction p : Prediction.values()) {
                assertClose(X0, p.toX0(souts[p.ordinal()], xs, sg), p + " x0 (sigma)");
            }
        }
    }

    private static void assertClose(float[] want, NDArray got, String what) {
        float[] g = got.toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], g[i], 1e-5f, what + " [" + i + "]");
    }
}
