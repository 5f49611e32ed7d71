package instantid.image;

import com.google.gson.JsonParser;
import instantid.face.RgbImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pillow's resampling, resize_img and the CLIP processor on values worked out by hand (the fixtures pin real photos). */
class PilResizeTest {

    @Test
    void halvingTwoPixelsAveragesThemWithPillowsRounding() {
        // support widened to 2 on a 2x downscale: weights 0.5 / 0.5 -> (2^21 + 255 * 2^21) >> 22 = 128
        byte[] out = PilResize.resize(new byte[] {0, (byte) 255}, 2, 1, 1, 1, 1, PilResize.Filter.BILINEAR);
        assertEquals(128, out[0] & 0xff);
    }

    @Test
    void upscalingInterpolatesAndKeepsTheEnds() {
        // 2 -> 4 bilinear: centres 0.25, 0.75, 1.25, 1.75 in source pixels; edge pixels keep their value
        byte[] out = PilResize.resize(new byte[] {0, (byte) 200}, 2, 1, 1, 4, 1, PilResize.Filter.BILINEAR);
        assertArrayEquals(new int[] {0, 50, 150, 200}, new int[] {out[0] & 0xff, out[1] & 0xff, out[2] & 0xff, out[3] & 0xff});
    }

    @Test
    void bicubicOvershootIsClippedAndFlatImagesStayFlat() {
        byte[] step = {0, 0, (byte) 255, (byte) 255};
        byte[] out = PilResize.resize(step, 4, 1, 1, 7, 1, PilResize.Filter.BICUBIC);
        for (byte b : out) assertEquals(b & 0xff, Math.max(0, Math.min(255, b & 0xff)));
        RgbImage flat = new RgbImage(5, 3, filled(5 * 3 * 3, 77));
        for (PilResize.Filter f : PilResize.Filter.values()) {
            RgbImage r = PilResize.resize(flat, 11, 2, f);
            for (byte b : r.rgb()) assertEquals(77, b & 0xff, f.name());
        }
    }

    @Test
    void sameSizeIsACopyAndFilterNumbersArePillows() {
        RgbImage a = new RgbImage(2, 2, filled(12, 9));
        RgbImage b = PilResize.resize(a, 2, 2, PilResize.Filter.BICUBIC);
        assertArrayEquals(a.rgb(), b.rgb());
        assertNotSame(a.rgb(), b.rgb());
        assertEquals(PilResize.Filter.BICUBIC, PilResize.Filter.fromPil(3));
        assertEquals(PilResize.Filter.BILINEAR, PilResize.Filter.fromPil(2));
        assertThrows(IllegalArgumentException.class, () -> PilResize.Filter.fromPil(0));
    }

    @Test
    void resizeImgGoesThroughTheIntermediateSize() {
        ResizeImg r = ResizeImg.DEFAULTS;
        // 1080x1920: 1024x1820 -> first resize 720x1280 -> 704x1280
        assertArrayEquals(new int[] {720, 1280}, r.firstSize(1080, 1920));
        assertArrayEquals(new int[] {704, 1280}, r.finalSize(1080, 1920));
        RgbImage img = r.apply(new RgbImage(108, 192, filled(108 * 192 * 3, 40)));
        assertEquals(704, img.width());
        assertEquals(1280, img.height());
    }

    @Test
    void clipProcessorConfigAndCropOrigin() {
        ClipImageProcessor d = ClipImageProcessor.defaults();
        assertEquals(224, d.shortestEdge());
        assertEquals(3, d.resample());
        ClipImageProcessor p = ClipImageProcessor.fromJson(JsonParser.parseString(
                "{\"size\": 61, \"crop_size\": {\"height\": 48, \"width\": 56}, \"image_mean\": [0.5, 0.5, 0.5],"
                        + " \"image_std\": [0.5, 0.5, 0.5]}").getAsJsonObject());
        assertEquals(61, p.shortestEdge());
        assertEquals(48, p.cropHeight());
        assertEquals(56, p.cropWidth());
        // 100x50 -> short side 61, long int(61 * 100 / 50) = 122
        RgbImage r = p.resized(new RgbImage(100, 50, filled(100 * 50 * 3, 255)));
        assertEquals(122, r.width());
        assertEquals(61, r.height());
        float[] v = p.preprocess(new RgbImage(100, 50, filled(100 * 50 * 3, 255)));
        assertEquals(3 * 48 * 56, v.length);
        assertEquals(1f, v[0], 1e-6); // (1 - 0.5) / 0.5
        assertEquals(6, ClipImageProcessor.cropOrigin(61, 48)); // (61 - 48) // 2
        assertEquals(-6, ClipImageProcessor.cropOrigin(50, 61)); // padded: the image starts ceil(11 / 2) = 6 rows down
        assertThrows(IllegalArgumentException.class, () -> ClipImageProcessor.fromJson(
                JsonParser.parseString("{\"do_normalize\": false}").getAsJsonObject()));
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
