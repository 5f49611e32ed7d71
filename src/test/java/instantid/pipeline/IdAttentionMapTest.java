package instantid.pipeline;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ID-attention map on the tiny model: zero at IP scale 0, a share in 0..1 otherwise, the output's size, pixels unchanged. */
class IdAttentionMapTest {

    private static InstantIdPipeline p;

    @BeforeAll
    static void load() {
        p = TinyModels.instantId();
    }

    @AfterAll
    static void close() {
        if (p != null) p.close();
    }

    static Result run(double ipScale, boolean maps, int w, int h) {
        GenerationSettings g = TinyModels.settings(41).withSize(w, h);
        Identity id = new Identity(TinyModels.embedding(3), TinyModels.kps(w / 2f, h / 2f, w / 4f), ipScale, 0.8);
        return p.generate(TinyModels.request(g, id), Progress.NONE, maps);
    }

    @Test
    void atIpScaleZeroTheRecordedMassIsZeroAndTheMapHasTheOutputsSize() {
        Result r = run(0.0, true, 64, 48);
        IdMap m = r.idMap(0);
        assertEquals(64, m.width());
        assertEquals(48, m.height());
        assertEquals(64 * 48, m.values().length);
        assertEquals(3, m.steps());
        assertTrue(m.layers() > 0, "IP layers were visited: " + m.layers());
        for (float v : m.values()) assertEquals(0f, v, "no identity acts at IP scale 0");
    }

    @Test
    void withTheIdentityTheMapIsAShareAndRecordingChangesNoPixel() {
        Result with = run(0.8, true, 64, 64);
        IdMap m = with.idMap(0);
        assertTrue(m.mean() > 0, "the identity acts somewhere: mean " + m.mean());
        for (float v : m.values()) assertTrue(v >= 0 && v <= 1, "a share: " + v);
        Result without = run(0.8, false, 64, 64);
        assertNull(without.idMap(0));
        assertArrayEquals(TinyModels.pixels(without), TinyModels.pixels(with), "the recorder only reads");
        // a stronger identity takes a larger share
        assertTrue(run(2.0, true, 64, 64).idMap(0).mean() > m.mean());
    }
}
