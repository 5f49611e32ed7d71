package instantid.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeRuleTest {

    @Test
    void longSideBecomesMaxSideAndBothAreMultiplesOf64() {
        for (int[] wh : new int[][] {{640, 480}, {480, 640}, {1000, 1000}, {3000, 2000}, {517, 911}, {64, 64}}) {
            for (SizeRule r : new SizeRule[] {SizeRule.DEFAULT, new SizeRule(1024, 1024, 64)}) {
                SizeRule.Size s = r.apply(wh[0], wh[1]);
                assertEquals(0, s.width() % 64, s.toString());
                assertEquals(0, s.height() % 64, s.toString());
                int longOut = Math.max(s.width(), s.height());
                assertTrue(longOut <= r.maxSide() && longOut > r.maxSide() - 64, wh[0] + "x" + wh[1] + " -> " + s);
                // orientation and, up to the 64-pixel floor, aspect ratio are kept
                assertEquals(wh[0] >= wh[1], s.width() >= s.height(), s.toString());
                double aspect = (double) wh[0] / wh[1], out = (double) s.width() / s.height();
                assertTrue(Math.abs(Math.log(aspect / out)) < Math.log(1 + 64.0 / Math.min(s.width(), s.height())) + 1e-9,
                        wh[0] + "x" + wh[1] + " -> " + s);
            }
        }
    }

    @Test
    void theAppsNumbers() {
        // app.py / infer.py call resize_img with its defaults: max_side 1280, min_side 1024
        assertEquals(new SizeRule.Size(1280, 960), SizeRule.DEFAULT.apply(4032, 3024));
        // 1080x1920: 1024x1820 -> ratio 1280/1820 -> 720x1280 -> 704x1280
        assertEquals(new SizeRule.Size(704, 1280), SizeRule.DEFAULT.apply(1080, 1920));
        assertEquals(new SizeRule.Size(1280, 1280), SizeRule.DEFAULT.apply(1000, 1000));
        assertEquals(1280, SizeRule.DEFAULT.maxSide());
        assertEquals(1024, SizeRule.DEFAULT.minSide());
    }

    @Test
    void workedExamplesOfTheFormula() {
        // 640x480: ratio 1024/480 -> 1365x1024; ratio 1280/1365 -> 1280x960
        assertEquals(new SizeRule.Size(1280, 960), SizeRule.DEFAULT.apply(640, 480));
        assertEquals(new SizeRule.Size(1280, 1280), SizeRule.DEFAULT.apply(1024, 1024));
        // min_side only moves the rounding: 1000x1500 with 1024/1024: 1024x1536 -> 683x1024 -> 640x1024
        assertEquals(new SizeRule.Size(640, 1024), new SizeRule(1024, 1024, 64).apply(1000, 1500));
        // Python's round is half to even: 1000x1001 -> 1024x1025 (1025.024) -> 1279x1280 (1278.75) -> 1216x1280
        assertEquals(new SizeRule.Size(1216, 1280), SizeRule.DEFAULT.apply(1000, 1001));
    }

    @Test
    void extremeAspectRatiosKeepOneBlockAndBadSizesAreRejected() {
        SizeRule.Size s = SizeRule.DEFAULT.apply(10000, 100);
        assertEquals(1280, s.width());
        assertEquals(64, s.height());
        assertThrows(IllegalArgumentException.class, () -> SizeRule.DEFAULT.apply(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SizeRule(1024, 0, 64));
    }
}
