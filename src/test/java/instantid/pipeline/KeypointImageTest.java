package instantid.pipeline;

import instantid.parity.FixturesTestAccess;
import instantid.parity.Outcome;
import instantid.parity.Parity;
import instantid.parity.Runners;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeypointImageTest {

    private static final float[][] FACE = {{40, 50}, {88, 50}, {64, 72}, {45, 95}, {83, 95}};

    private static int[] rgb(byte[] img, int w, int x, int y) {
        int o = (y * w + x) * 3;
        return new int[] {img[o] & 0xff, img[o + 1] & 0xff, img[o + 2] & 0xff};
    }

    @Test
    void fixtureImagesMatchByteForByte() {
        Path f = FixturesTestAccess.requireFixtures();
        Outcome o = Parity.runOne(f.resolve("draw_kps"), Runners.all());
        assertEquals(Outcome.Status.PASS, o.status(), o.line("draw_kps"));
    }

    @Test
    void dotsAreFullColourDiscsOfRadius10AndLimbsAreDimmed() {
        int w = 128, h = 128;
        byte[] img = KeypointImage.draw(w, h, FACE);
        assertEquals(w * h * 3, img.length);
        // the nose dot is blue over its whole radius-10 disc (drawn last over the limbs)
        for (int dy = -9; dy <= 9; dy++) {
            for (int dx = -9; dx <= 9; dx++) {
                if (dx * dx + dy * dy <= 81) assertEquals(List.of(0, 0, 255), List.of(rgb(img, w, 64 + dx, 72 + dy)[0],
                        rgb(img, w, 64 + dx, 72 + dy)[1], rgb(img, w, 64 + dx, 72 + dy)[2]));
            }
        }
        // outside radius 11 of the nose, nothing blue
        assertEquals(0, rgb(img, w, 64, 72 + 12)[2] == 255 ? 1 : 0);
        // half-way between the left eye (40,50) and the nose (64,72), beyond the dots: the limb, red at 60 %
        int[] mid = rgb(img, w, 52, 61);
        assertEquals(153, mid[0]);
        assertEquals(0, mid[1]);
        // far corner untouched
        assertEquals(0, rgb(img, w, 0, 127)[0] + rgb(img, w, 0, 127)[1] + rgb(img, w, 0, 127)[2]);
    }

    @Test
    void pointsOutsideTheImageAreClipped() {
        float[][] kps = {{-30, -40}, {200, -10}, {50, 50}, {-5, 300}, {130, 140}};
        byte[] img = KeypointImage.draw(100, 120, kps);
        int lit = 0;
        for (int i = 0; i < img.length; i += 3) if ((img[i] | img[i + 1] | img[i + 2]) != 0) lit++;
        assertTrue(lit > 100, "limbs crossing the image are drawn");
    }

    @Test
    void badInputsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> KeypointImage.draw(64, 64, new float[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> KeypointImage.draw(0, 64, FACE));
        float[][] nan = FACE.clone();
        nan[2] = new float[] {Float.NaN, 3};
        assertThrows(IllegalArgumentException.class, () -> KeypointImage.draw(64, 64, nan));
    }

    @Test
    void sinTableIsOpenCvs() {
        assertEquals(0.0174524f, CvRaster.sinTable(1));
        assertEquals(0.5f, CvRaster.sinTable(30));
        assertEquals(1f, CvRaster.sinTable(90));
        assertEquals(-0.9998477f, CvRaster.sinTable(271));
        assertEquals(1f, CvRaster.sinTable(450));
    }
}
