package instantid.request;

import instantid.face.Face;
import instantid.face.Keypoints;
import instantid.pipeline.Identity;
import instantid.pipeline.Region;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PlacementTest {

    static Face face(float x0, float emb) {
        return new Face(x0, 100, x0 + 100, 220, 0.9f,
                new float[] {x0 + 30, 140, x0 + 70, 140, x0 + 50, 170, x0 + 35, 195, x0 + 65, 195}, new float[] {emb});
    }

    @Test
    void aRegionDrawnOnTheCanvasIsScaledToTheOutput() {
        assertEquals(new Region(256, 0, 256, 512, 16), Placement.region(100, 0, 100, 200, 2.56, 2.56, 16));
        assertEquals(new Region(1, 2, 3, 5, 0), Placement.region(1, 1, 3, 3, 1.0, 1.6, 0)); // rounded
    }

    @Test
    void facesGoIntoTheirRegionsKeepingTheirShape() {
        List<Region> regions = List.of(new Region(0, 0, 512, 1024, 8), new Region(512, 0, 512, 1024, 8));
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) ids.add(Placement.identity(face(300 * i, i + 1), regions.get(i), 0.8, 0.7));
        for (int i = 0; i < 2; i++) {
            Identity id = ids.get(i);
            Region r = regions.get(i);
            assertEquals(r, id.region());
            assertArrayEquals(new float[] {i + 1}, id.embedding());
            Keypoints k = id.keypoints();
            for (int p = 0; p < Keypoints.COUNT; p++) {
                assertTrue(k.x(p) >= r.x() && k.x(p) <= r.x() + r.width() && k.y(p) >= 0 && k.y(p) <= r.height(), "point " + p);
            }
            assertTrue(k.x(0) < k.x(1), "left eye stays left of the right eye");
            // the face box (its longer side, 120) is scaled to half the region's shorter side: 256 / 120
            double scale = 256.0 / 120;
            assertEquals(40 * scale, k.x(1) - k.x(0), 1e-3);
            assertEquals(r.x() + r.width() / 2.0, k.x(2), 1e-3, "the nose is on the region's centre line");
        }
        // the same face in the same region is placed the same: the face's own position does not matter
        assertEquals(Placement.place(face(0, 1), regions.get(0)), Placement.place(face(700, 1), regions.get(0)));
    }

    @Test
    void aFaceWithoutKeypointsOrEmbeddingIsRefused() {
        Region r = new Region(0, 0, 64, 64, 0);
        assertThrows(IllegalArgumentException.class, () -> Placement.place(new Face(0, 0, 1, 1, 1, null, null), r));
        Face noEmbedding = new Face(0, 0, 10, 10, 1, new float[10], null);
        assertThrows(IllegalArgumentException.class, () -> Placement.identity(noEmbedding, r, 1, 1));
    }
}
