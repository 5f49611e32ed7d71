package instantid.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.FaceAnalysis;
import instantid.face.RgbImage;
import instantid.io.Safetensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identity score on crafted images with the tiny face models (random weights, so detector
 * scores are low: the thresholds here are the ones at which the tiny detector finds faces): the
 * source photo scores 1 against its own face and lower against another person's, no face gives
 * the reason and no number, and in a composition each identity is matched in its own region.
 */
class IdentityScorerTest {

    /** The tiny detector's two best boxes on the portrait score 0.271; a black image has none at 0.3. */
    static final DetectOptions AT_027 = DetectOptions.defaults().withThreshold(0.27f);
    static FaceAnalysis fa;
    static RgbImage portrait, other;

    @BeforeAll
    static void load() throws Exception {
        Path fx = TinyModels.fixtures();
        fa = new FaceAnalysis(fx.resolve("face_analysis/det_tiny.onnx"), fx.resolve("face_analysis/rec_tiny.onnx"));
        portrait = read(Path.of("examples/portrait.png"));
        try (Safetensors io = Safetensors.open(fx.resolve("face_analysis/io.safetensors"))) {
            ByteBuffer b = io.bytes("image_rgb");
            byte[] rgb = new byte[480 * 360 * 3];
            b.get(rgb);
            other = new RgbImage(480, 360, rgb);
        }
    }

    @AfterAll
    static void close() {
        if (fa != null) fa.close();
    }

    static RgbImage read(Path p) throws Exception {
        return instantid.photo.PhotoReader.read(p).image();
    }

    static Identity whole(float[] embedding) {
        return new Identity(embedding, TinyModels.kps(32, 32, 16), 0.8, 0.8);
    }

    @Test
    void theSourcePhotoScoresOneAgainstItselfAndLowerAgainstAnotherFace() {
        Face own = fa.chooseFace(portrait, "portrait.png", AT_027);
        Face stranger = fa.chooseFace(other, "fixture image", DetectOptions.defaults().withThreshold(0.27f));
        IdentityScorer scorer = new IdentityScorer(fa, AT_027);
        IdentityScore self = scorer.score(portrait, List.of(whole(own.embedding()))).overall();
        IdentityScore vsOther = scorer.score(portrait, List.of(whole(stranger.embedding()))).overall();
        assertTrue(self.present() && vsOther.present());
        assertEquals(1.0, self.value(), 1e-5, "the photo's own face scores 1 against itself");
        assertEquals(4, self.faceBox().length, "the matched face's box is reported");
        assertTrue(vsOther.value() < self.value() - 1e-4, "another face scores lower: " + vsOther.value());
    }

    @Test
    void noFaceGivesTheReasonNeverZero() {
        Face own = fa.chooseFace(portrait, "portrait.png", AT_027);
        IdentityScores s = new IdentityScorer(fa, DetectOptions.defaults().withThreshold(0.3f))
                .score(RgbImage.zeros(64, 64), List.of(whole(own.embedding())));
        assertFalse(s.overall().present());
        assertNull(s.overall().value());
        assertEquals(IdentityScore.NO_FACE, s.overall().reason());
        JsonObject o = new JsonObject();
        SettingsJson.addScores(o, s);
        JsonObject back = JsonParser.parseString(SettingsJson.toJson(o)).getAsJsonObject();
        assertTrue(back.has("identity_score") && back.get("identity_score").isJsonNull(), "null is written, not left out");
        assertEquals(IdentityScore.NO_FACE, back.get("identity_score_reason").getAsString());
    }

    @Test
    void compositionScoresEachIdentityInItsOwnRegion() {
        List<Face> faces = fa.detect(portrait, AT_027);
        Face own = fa.embed(portrait, FaceAnalysis.largest(faces));
        int cx = (int) own.centerX(), cy = (int) own.centerY();
        Identity here = new Identity(own.embedding(), own.kps(), 0.8, 0.8, new Region(cx - 4, cy - 4, 8, 8, 0), "");
        // a region that holds no face centre: the top-left corner, smaller than any detection
        Region empty = new Region(0, 0, 1, 1, 0);
        for (Face f : faces) assertFalse(f.centerX() < 1 && f.centerY() < 1);
        Identity nowhere = new Identity(own.embedding(), own.kps(), 0.8, 0.8, empty, "");
        IdentityScores s = new IdentityScorer(fa, AT_027).score(portrait, List.of(here, nowhere));
        assertEquals(1.0, s.perIdentity().get(0).value(), 1e-5);
        assertFalse(s.perIdentity().get(1).present());
        assertTrue(s.perIdentity().get(1).reason().contains("region"), s.perIdentity().get(1).reason());
        assertFalse(s.overall().present(), "a composition with a lost identity has no overall score");
        assertTrue(s.overall().reason().startsWith("identity 2"), s.overall().reason());
    }
}
