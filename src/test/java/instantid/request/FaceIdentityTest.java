package instantid.request;

import instantid.common.UserException;
import instantid.face.Face;
import instantid.face.Keypoints;
import instantid.face.RgbImage;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;
import instantid.pipeline.Embeddings;
import instantid.pipeline.Identity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FaceIdentityTest {

    /** A 640x320 photo (resized to 1280x640 by the app's rule, here given directly) with one face on the resized image. */
    static final PreparedPhoto PHOTO = new PreparedPhoto(640, 320, new RgbImage(1280, 640, new byte[1280 * 640 * 3]), null);
    static final Face ON_RESIZED = new Face(100, 100, 300, 340, 0.9f,
            new float[] {150, 180, 250, 180, 200, 240, 160, 290, 240, 290}, new float[] {3, 4});
    static final PhotoFaces.Found FOUND = new PhotoFaces.Found(ON_RESIZED, PHOTO.toOriginal(ON_RESIZED));

    @Test
    void aFaceGivesItsEmbeddingKeypointsAndBoxInTheOutputsPixels() {
        Identity id = FaceIdentity.of(List.of(FOUND.embedding()), Embeddings.Combine.MEAN, Pose.face(PHOTO, FOUND),
                640, 320, 0.7, 0.6, List.of());
        assertArrayEquals(new float[] {3, 4}, id.embedding(), "one embedding is taken as it is");
        assertEquals(Keypoints.of(75, 90, 125, 90, 100, 120, 80, 145, 120, 145), id.keypoints(), "half the resized size");
        assertArrayEquals(new float[] {50, 50, 150, 170}, id.faceBox());
        assertEquals(0.7, id.ipScale());
        assertEquals(0.6, id.identityNetScale());
        assertNull(id.photoNote());
        assertTrue(id.region().isWhole());
    }

    @Test
    void severalPhotosCombineAndNotesAreKept() {
        Identity id = FaceIdentity.of(List.of(new float[] {1, 2}, new float[] {3, 6}), Embeddings.Combine.MEAN,
                Pose.face(PHOTO, FOUND), 1280, 640, 0.8, 0.8, List.of("a.tif: 16-bit scaled", "b.tif: float scaled"));
        assertArrayEquals(new float[] {2, 4}, id.embedding());
        assertEquals(Keypoints.of(ON_RESIZED.kps()), id.keypoints(), "at the resized size the keypoints are the detector's");
        assertEquals("a.tif: 16-bit scaled; b.tif: float scaled", id.photoNote());
    }

    @Test
    void typedKeypointsHaveNoFaceBoxAndMustLieOnThePicture() {
        Keypoints typed = Keypoints.of(10, 10, 20, 10, 15, 15, 12, 20, 18, 20);
        Identity id = FaceIdentity.of(List.of(new float[] {1}), Embeddings.Combine.MEAN, Pose.typed(typed, "--kps"),
                64, 64, 0.8, 0.8, List.of());
        assertEquals(typed, id.keypoints());
        assertNull(id.faceBox());
        UserException e = assertThrows(UserException.class, () -> FaceIdentity.of(List.of(new float[] {1}),
                Embeddings.Combine.MEAN, Pose.typed(typed, "keypoints"), 16, 16, 0.8, 0.8, List.of()));
        assertTrue(e.getMessage().startsWith("keypoints: keypoint 2 (20.0, 10.0) is outside the 16x16 image"), e.getMessage());
        assertNull(Pose.typed(typed, "--kps").photoSize());
        assertArrayEquals(new int[] {1280, 640}, Pose.face(PHOTO, FOUND).photoSize());
    }
}
