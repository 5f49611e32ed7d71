package instantid.face;

import instantid.image.LoadedImage;
import instantid.image.Orientation;
import instantid.image.PhotoFaces;
import instantid.image.PilResize;
import instantid.image.PreparedPhoto;
import instantid.image.ResizeImg;
import instantid.photo.PhotoReader;
import instantid.photo.TestFiles;
import instantid.pipeline.SizeRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A phone photo end to end: examples/portrait.png scaled past 3000 px, stored sideways in a JPEG
 * with EXIF orientation 6. It must reach the detector upright and resized as the app resizes
 * (resize_img 1280 / 1024, then the detector's own letterbox), and the face the detector reports
 * must come back in the pixels of the upright photo the user gave. The detector is a recording
 * synthetic SCRFD (one face at a fixed anchor), the tiny recogniser embeds: geometry, not identity.
 */
class LargePhotoEndToEndTest {

    static final int CELL_X = 8, CELL_Y = 6, STRIDE = 32;
    static final float D = 2f; // box half size in strides

    @Test
    void rotatedLargeJpegReachesTheDetectorUprightAndResizedAndTheFaceComesBackInTheUsersPixels(@TempDir Path tmp)
            throws Exception {
        RgbImage small = PhotoReader.read(Path.of("examples/portrait.png")).image();
        RgbImage upright = PilResize.resize(small, small.width() * 12, small.height() * 12, PilResize.Filter.BICUBIC);
        assertTrue(Math.max(upright.width(), upright.height()) > 3000);
        RgbImage sideways = Orientation.apply(upright, 8); // what the camera stored; orientation 6 turns it back
        Path file = TestFiles.jpegWithOrientation(TestFiles.buffered(sideways), 6, tmp.resolve("phone.jpg"));

        LoadedImage loaded = PhotoReader.read(file);
        assertEquals(6, loaded.exifOrientation());
        assertEquals(upright.width(), loaded.image().width());
        assertEquals(upright.height(), loaded.image().height());
        assertTrue(meanAbs(upright, loaded.image()) < 2.5, "upright, as stored pixels: " + meanAbs(upright, loaded.image()));

        PreparedPhoto photo = PreparedPhoto.prepare(loaded, ResizeImg.DEFAULTS);
        SizeRule.Size s = SizeRule.DEFAULT.apply(upright.width(), upright.height()); // 3072x3840 -> 1024x1280
        assertEquals(1024, s.width());
        assertEquals(1280, s.height());
        assertEquals(s.width(), photo.resized().width());
        assertEquals(s.height(), photo.resized().height());

        List<float[]> seen = new ArrayList<>();
        int[] seenSize = new int[2];
        ScrfdDecoder.Layout layout = ScrfdDecoder.Layout.forOutputs(9, true);
        ScrfdDetector det = new ScrfdDetector("recording-scrfd", layout, -1, -1, (blob, w, h) -> {
            seen.add(blob.clone());
            seenSize[0] = w;
            seenSize[1] = h;
            return oneFace(layout, w, h);
        });
        List<String> log = new ArrayList<>();
        try (FaceAnalysis fa = new FaceAnalysis(det, new ArcFace(FaceFixtures.faceModels().resolve("rec_tiny.onnx"),
                Device.CPU, log::add), log::add)) {
            PhotoFaces.Found f = PhotoFaces.choose(fa, photo, file.toString(), DetectOptions.defaults());

            // the detector saw the resized upright photo, letterboxed to 512x640 in its 640x640 input
            assertEquals(1, seen.size());
            assertArrayEquals(new int[] {640, 640}, seenSize);
            RgbImage expected = photo.resized().resize(512, 640).padTo(640, 640);
            float[] blob = seen.get(0);
            int hw = 640 * 640;
            double worst = 0;
            for (int i = 0; i < hw; i++) {
                for (int c = 0; c < 3; c++) {
                    double v = blob[c * hw + i] * 128 + 127.5;
                    worst = Math.max(worst, Math.abs(v - (expected.rgb()[i * 3 + c] & 0xff)));
                }
            }
            assertTrue(worst < 1e-3, "the detector's input is the resized upright photo: " + worst);

            // the face: anchor (256, 192) in the detector input, det_scale 0.5 -> (512, 384) resized -> x3 original
            Face r = f.onResized();
            float cx = CELL_X * STRIDE / 0.5f, cy = CELL_Y * STRIDE / 0.5f, half = D * STRIDE / 0.5f;
            assertEquals(cx - half, r.x1(), 1e-3);
            assertEquals(cy + half, r.y2(), 1e-3);
            Face o = f.inOriginal();
            assertEquals(3.0, photo.scaleX(), 1e-12);
            assertEquals(3.0, photo.scaleY(), 1e-12);
            assertEquals(3 * (cx - half), o.x1(), 1e-2);
            assertEquals(3 * (cy - half), o.y1(), 1e-2);
            assertEquals(3 * (cx + half), o.x2(), 1e-2);
            for (int k = 0; k < 10; k++) assertEquals(3 * r.kps()[k], o.kps()[k], 1e-2);
            // the keypoints land inside the face box, in the user's (upright, full-size) pixels
            for (int k = 0; k < 5; k++) {
                assertTrue(o.kps()[2 * k] > o.x1() && o.kps()[2 * k] < o.x2() && o.kps()[2 * k + 1] > o.y1()
                        && o.kps()[2 * k + 1] < o.y2(), "keypoint " + k + " in the box");
            }
            assertEquals(512, f.embedding().length);
            // IdentityNet's keypoints at the automatic output size are the resized photo's own
            assertArrayEquals(r.kps(), PhotoFaces.keypointsFor(photo, f, s.width(), s.height()).flat(), 1e-4f);
        }
    }

    /** SCRFD outputs (3 strides x score / box / kps) with one face at the stride-32 anchor (CELL_X, CELL_Y). */
    static List<float[]> oneFace(ScrfdDecoder.Layout l, int w, int h) {
        List<float[]> s = new ArrayList<>(), b = new ArrayList<>(), k = new ArrayList<>();
        for (int lv = 0; lv < 3; lv++) {
            int stride = l.strides()[lv], n = (h / stride) * (w / stride) * 2;
            float[] sc = new float[n], bx = new float[n * 4], kp = new float[n * 10];
            if (stride == STRIDE) {
                int a = (CELL_Y * (w / stride) + CELL_X) * 2;
                sc[a] = 0.9f;
                for (int j = 0; j < 4; j++) bx[a * 4 + j] = D;
                float[] off = {-0.3f, -0.3f, 0.3f, -0.3f, 0f, 0f, -0.25f, 0.35f, 0.25f, 0.35f};
                for (int j = 0; j < 10; j++) kp[a * 10 + j] = off[j] * D;
            }
            s.add(sc);
            b.add(bx);
            k.add(kp);
        }
        List<float[]> outs = new ArrayList<>(s);
        outs.addAll(b);
        outs.addAll(k);
        return outs;
    }

    static double meanAbs(RgbImage a, RgbImage b) {
        double sum = 0;
        for (int i = 0; i < a.rgb().length; i++) sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        return sum / a.rgb().length;
    }
}
