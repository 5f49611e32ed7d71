package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused kernel computes what the composed one does: plain, with an additive mask, chunked or not. */
class AttentionKernelTest {

    @AfterEach
    void restore() {
        Ops.attentionKernel = AttentionKernel.FUSED;
        Ops.attentionBudgetBytes = 256L << 20;
    }

    private static float[] run(AttentionKernel k, NDArray q, NDArray kk, NDArray v, int heads, NDArray bias) {
        Ops.attentionKernel = k;
        try (Scope s = new Scope()) {
            return Ops.attention(q, kk, v, heads, bias).toFloatArray();
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void fusedEqualsComposed() {
        assertTrue(FusedAttention.available(), "the fused module loads on the PyTorch engine: " + FusedAttention.failure());
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            // self-attention with 3 heads of 8, and cross-attention to 5 tokens with a wider value
            NDArray q = m.randomNormal(new Shape(2, 37, 24));
            NDArray k = m.randomNormal(new Shape(2, 37, 24));
            NDArray v = m.randomNormal(new Shape(2, 37, 24));
            float[] f = run(AttentionKernel.FUSED, q, k, v, 3, null);
            float[] c = run(AttentionKernel.COMPOSED, q, k, v, 3, null);
            assertTrue(maxDiff(f, c) < 1e-5, "self " + maxDiff(f, c));
            NDArray ck = m.randomNormal(new Shape(2, 5, 24));
            NDArray cv = m.randomNormal(new Shape(2, 5, 48));
            f = run(AttentionKernel.FUSED, q, ck, cv, 3, null);
            c = run(AttentionKernel.COMPOSED, q, ck, cv, 3, null);
            assertEquals(2 * 37 * 48, f.length);
            assertTrue(maxDiff(f, c) < 1e-5, "cross " + maxDiff(f, c));
            // a causal mask as CLIP's text encoder adds it, with the composed path chunked
            float[] mask = new float[37 * 37];
            for (int i = 0; i < 37; i++) for (int j = i + 1; j < 37; j++) mask[i * 37 + j] = -1e9f;
            NDArray bias = m.create(mask, new Shape(1, 1, 37, 37));
            f = run(AttentionKernel.FUSED, q, k, v, 3, bias);
            Ops.attentionBudgetBytes = 2 * 3 * 37 * 4 * 2 * 5; // five query rows per chunk
            c = run(AttentionKernel.COMPOSED, q, k, v, 3, bias);
            assertTrue(maxDiff(f, c) < 1e-5, "masked " + maxDiff(f, c));
            // the mask matters: the first query sees only the first key
            float[] unmasked = run(AttentionKernel.FUSED, q, k, v, 3, null);
            assertTrue(maxDiff(f, unmasked) > 1e-2);
        }
    }

    @Test
    void resultBelongsToTheQueryManagerAndKeepsItsDtype() {
        try (NDManager m = NDManager.newBaseManager(); NDManager sub = m.newSubManager()) {
            NDArray q = sub.randomNormal(new Shape(1, 4, 16)).toType(DataType.FLOAT16, false);
            NDArray k = m.randomNormal(new Shape(1, 6, 16)).toType(DataType.FLOAT16, false);
            NDArray out = Ops.attention(q, k, k, 2, null);
            assertSame(sub, out.getManager());
            assertEquals(DataType.FLOAT16, out.getDataType());
            assertEquals(new Shape(1, 4, 16), out.getShape());
        }
    }

    @Test
    void namesParseAndTheEffectiveKernelIsReported() {
        assertSame(AttentionKernel.COMPOSED, AttentionKernel.parse("Composed"));
        assertEquals("composed", AttentionKernel.COMPOSED.effective());
        assertEquals("fused", AttentionKernel.FUSED.effective());
        assertThrows(IllegalArgumentException.class, () -> AttentionKernel.parse("flash"));
    }
}
