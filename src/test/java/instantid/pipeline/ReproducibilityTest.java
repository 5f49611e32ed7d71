package instantid.pipeline;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7: the same settings and seed give the same pixels on the same device; images of one run
 * use consecutive seeds; the settings a result carries reproduce it when read back.
 */
class ReproducibilityTest {

    private static InstantIdPipeline p;

    @BeforeAll
    static void load() {
        p = TinyModels.instantId();
    }

    @AfterAll
    static void close() {
        if (p != null) p.close();
    }

    private static InstantIdRequest request(GenerationSettings g) {
        return TinyModels.request(g, TinyModels.identity(7, g));
    }

    @Test
    void sameSeedSamePixelsDifferentSeedDifferentPixels() {
        GenerationSettings g = TinyModels.settings(1234);
        byte[] a = TinyModels.pixels(p.generate(request(g), Progress.NONE));
        byte[] b = TinyModels.pixels(p.generate(request(g), Progress.NONE));
        assertArrayEquals(a, b, "two runs with seed 1234");
        byte[] c = TinyModels.pixels(p.generate(request(g.withSeed(1235)), Progress.NONE));
        assertTrue(TinyModels.maxDiff(a, c) > 0, "seeds 1234 and 1235 gave the same image");
    }

    @Test
    void severalImagesUseConsecutiveSeedsAndEachEqualsASingleRun() {
        GenerationSettings g = TinyModels.settings(500);
        GenerationSettings three = new GenerationSettings(g.prompt(), g.negativePrompt(), g.steps(), g.guidance(),
                g.width(), g.height(), g.seed(), g.sampler(), 3, g.loras());
        Result r = p.generate(request(three), Progress.NONE);
        assertEquals(3, r.images().size());
        for (int k = 0; k < 3; k++) {
            Image img = r.images().get(k);
            assertEquals(500 + k, img.seed());
            assertEquals(64 * 64 * 3, img.rgb().length);
            byte[] single = TinyModels.pixels(p.generate(request(g.withSeed(500 + k)), Progress.NONE));
            assertArrayEquals(single, img.rgb(), "image " + k + " vs a single run with seed " + (500 + k));
        }
        assertTrue(TinyModels.maxDiff(r.images().get(0).rgb(), r.images().get(1).rgb()) > 0);
    }

    @Test
    void aRandomSeedIsReportedAndReproduces() {
        GenerationSettings g = TinyModels.settings(-1);
        Result r = p.generate(request(g), Progress.NONE);
        long seed = r.images().get(0).seed();
        assertTrue(seed >= 0, "reported seed " + seed);
        assertArrayEquals(TinyModels.pixels(r), TinyModels.pixels(p.generate(request(g.withSeed(seed)), Progress.NONE)));
    }

    @Test
    void settingsJsonReadBackGivesTheSamePixels() {
        GenerationSettings g = TinyModels.settings(77);
        Identity a = new Identity(TinyModels.embedding(3), TinyModels.kps(20, 30, 12), 0.6, 0.9,
                new Region(0, 0, 32, 64, 4), "smiling");
        Identity b = new Identity(TinyModels.embedding(4), TinyModels.kps(44, 30, 12), 0.7, 0.5,
                new Region(32, 0, 32, 64, 4), "");
        InstantIdRequest r = new InstantIdRequest(g, List.of(a, b), 0.1, 0.9,
                java.util.Map.of("up_blocks.0", 0.5, "*", 1.0));
        Result first = p.generate(r, Progress.NONE);
        InstantIdRequest back = SettingsJson.readInstantId(first.settingsJson());
        assertEquals(g.seed(), back.generation().seed());
        assertEquals(r.controlStart(), back.controlStart());
        assertEquals(r.ipBlockScales(), back.ipBlockScales());
        assertEquals(a.region(), back.identities().get(0).region());
        assertEquals("smiling", back.identities().get(0).phrase());
        assertArrayEquals(a.embedding(), back.identities().get(0).embedding());
        assertArrayEquals(TinyModels.pixels(first), TinyModels.pixels(p.generate(back, Progress.NONE)));
    }
}
