package instantid.face;

import instantid.common.UserException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KeypointsTest {

    static final float[] FLAT = {10.5f, 20, 30, 20.25f, 20, 30, 12, 40, 28, 40};

    @Test
    void flatAndPointFormsRoundTripExactly() {
        Keypoints k = Keypoints.of(FLAT);
        float[][] p = k.points();
        assertEquals(5, p.length);
        assertArrayEquals(new float[] {30, 20.25f}, p[1]);
        assertEquals(k, Keypoints.ofPoints(p));
        assertArrayEquals(FLAT, Keypoints.ofPoints(p).flat());
        assertEquals(k, Keypoints.parse(k.toString()));
        assertEquals(k.hashCode(), Keypoints.of(FLAT.clone()).hashCode());
        assertEquals(12f, k.x(3));
        assertEquals(40f, k.y(4));
    }

    @Test
    void isImmutable() {
        float[] given = FLAT.clone();
        Keypoints k = Keypoints.of(given);
        given[0] = -1;
        k.flat()[1] = -1;
        k.points()[2][0] = -1;
        assertArrayEquals(FLAT, k.flat());
    }

    @Test
    void parsesWhatUsersTypeAndSaysWhatIsWrong() {
        assertEquals(Keypoints.of(FLAT), Keypoints.parse(" 10.5, 20;30 20.25 20,30,12,40,28,40 "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keypoints.parse("1,2,3,4")).getMessage()
                .startsWith("expects 10 numbers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keypoints.parse("")).getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keypoints.parse("1,2,3,4,5,6,7,8,9,x")).getMessage()
                .contains("'x' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keypoints.parse("1,2,3,4,5,6,7,8,9,NaN")).getMessage()
                .contains("not a finite number"));
        assertThrows(IllegalArgumentException.class, () -> Keypoints.of(new float[9]));
        assertThrows(IllegalArgumentException.class, () -> Keypoints.ofPoints(new float[4][2]));
    }

    @Test
    void scaleWithTheImageAsAResizeStretches() {
        // a face found on a 400x200 image, on the same image resized to 800x600
        Keypoints k = Keypoints.of(100, 50, 0, 0, 400, 200, 1, 1, 3, 7).resized(400, 200, 800, 600);
        assertArrayEquals(new float[] {200, 150, 0, 0, 800, 600, 2, 3, 6, 21}, k.flat());
        // float arithmetic, as the scaling it replaces: x * (float) (dst / src)
        float sx = (float) 1000 / 1280;
        assertEquals(333f * sx, Keypoints.of(333, 1, 0, 0, 0, 0, 0, 0, 0, 0).resized(1280, 1280, 1000, 1000).x(0));
        assertThrows(IllegalArgumentException.class, () -> k.resized(0, 1, 1, 1));
    }

    @Test
    void aPointOutsideThePictureIsNamed() {
        Keypoints k = Keypoints.of(10, 10, 20, 10, 15, 15, 12, 20, 900, 20);
        UserException e = assertThrows(UserException.class, () -> k.requireInside(64, 64, "--kps"));
        assertEquals("--kps: keypoint 5 (900.0, 20.0) is outside the 64x64 image; give output pixel coordinates", e.getMessage());
        assertSame(k, k.requireInside(900, 64, "--kps")); // the edge counts as inside
    }
}
