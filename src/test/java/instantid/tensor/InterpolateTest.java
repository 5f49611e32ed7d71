package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Each mode computes what torch's {@code F.interpolate} of that name computes (values worked by hand). */
class InterpolateTest {

    /** A 1x1x4x4 ramp 0..15, row-major. */
    private static NDArray ramp(NDManager m) {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        return m.create(v, new Shape(1, 1, 4, 4));
    }

    @Test
    void areaAveragesEachBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 2x2 blocks of the ramp: (0+1+4+5)/4, (2+3+6+7)/4, (8+9+12+13)/4, (10+11+14+15)/4
            float[] got = Interpolate.AREA.apply(ramp(m), new long[] {2, 2}).toFloatArray();
            assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, got, 1e-6f);
        }
    }

    @Test
    void nearestTakesTheFloorIndex() {
        try (NDManager m = NDManager.newBaseManager()) {
            // out (i, j) <- in (2i, 2j)
            float[] got = Interpolate.NEAREST.apply(ramp(m), new long[] {2, 2}).toFloatArray();
            assertArrayEquals(new float[] {0f, 2f, 8f, 10f}, got, 0f);
        }
    }

    @Test
    void bilinearSamplesHalfPixelCentres() {
        try (NDManager m = NDManager.newBaseManager()) {
            // align_corners=False, scale 2: source coordinate 2i + 0.5 -> mean of the 2x2 neighbours,
            // which for a 2x downscale equals the block mean; upscaling 2x2 -> 4x4 shows the difference
            float[] small = {0f, 4f, 8f, 12f};
            float[] got = Interpolate.BILINEAR.apply(m.create(small, new Shape(1, 1, 2, 2)), new long[] {4, 4}).toFloatArray();
            // source x = (j + 0.5) / 2 - 0.5 clamped at 0: 0, 0.25, 0.75, 1 (same for rows)
            float[] want = {0f, 1f, 3f, 4f, 2f, 3f, 5f, 6f, 6f, 7f, 9f, 10f, 8f, 9f, 11f, 12f};
            assertArrayEquals(want, got, 1e-5f);
        }
    }
}
