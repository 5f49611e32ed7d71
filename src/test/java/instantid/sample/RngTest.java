package instantid.sample;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RngTest {

    @Test
    void sameSeedSameNoiseDifferentSeedDifferentNoise() {
        float[] a = new Rng(42).normal(1000);
        float[] b = new Rng(42).normal(1000);
        float[] c = new Rng(43).normal(1000);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void drawsAreSequentialWhateverTheChunking() {
        Rng one = new Rng(5);
        float[] whole = one.normal(7);
        Rng two = new Rng(5);
        float[] p1 = two.normal(3), p2 = two.normal(4);
        for (int i = 0; i < 3; i++) assertEquals(whole[i], p1[i]);
        for (int i = 0; i < 4; i++) assertEquals(whole[3 + i], p2[i]);
    }

    @Test
    void valuesAreStandardNormal() {
        float[] v = new Rng(1).normal(200_000);
        double sum = 0, sq = 0;
        int within1 = 0;
        for (float f : v) {
            sum += f;
            sq += f * f;
            if (Math.abs(f) < 1) within1++;
        }
        double mean = sum / v.length, var = sq / v.length - mean * mean;
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.01);
        assertEquals(0.6827, within1 / (double) v.length, 0.005);
    }
}
