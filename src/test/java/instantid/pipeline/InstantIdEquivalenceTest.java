package instantid.pipeline;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7: the adapter path adds nothing when off (IP scale 0 and IdentityNet scale 0 give exactly
 * the plain SDXL image), IdentityNet's start/end window and per-block IP scales switch parts off
 * exactly, LoRAs are undone after a run, and a cancelled run leaves no arrays behind.
 */
class InstantIdEquivalenceTest {

    private static InstantIdPipeline p;
    private static SdxlPipeline plain;

    @BeforeAll
    static void load() {
        p = TinyModels.instantId();
        plain = new SdxlPipeline(p.sdxl()); // the same networks without the adapter and IdentityNet
    }

    @AfterAll
    static void close() {
        if (p != null) p.close();
    }

    static byte[] run(GenerationSettings g, double ip, double cn, double start, double end, Map<String, Double> blocks) {
        Identity id = new Identity(TinyModels.embedding(5), TinyModels.kps(32, 30, 16), ip, cn);
        return TinyModels.pixels(p.generate(new InstantIdRequest(g, List.of(id), start, end, blocks), Progress.NONE));
    }

    @Test
    void scalesZeroGiveExactlyThePlainSdxlImage() {
        GenerationSettings g = TinyModels.settings(21);
        byte[] sdxl = TinyModels.pixels(plain.generate(g, Progress.NONE));
        assertArrayEquals(sdxl, run(g, 0, 0, 0, 1, Map.of()));
        assertTrue(TinyModels.maxDiff(sdxl, run(g, 0.8, 0.8, 0, 1, Map.of())) > 0, "the adapter changes the image when on");
    }

    @Test
    void identityNetOutsideItsWindowIsOff() {
        GenerationSettings g = TinyModels.settings(22);
        // 3 steps: a window [0.9, 1.0] keeps no step (step 2 spans 2/3..1, which starts before 0.9)
        assertArrayEquals(run(g, 0.8, 0, 0, 1, Map.of()), run(g, 0.8, 0.8, 0.9, 1.0, Map.of()));
        assertTrue(TinyModels.maxDiff(run(g, 0.8, 0, 0, 1, Map.of()), run(g, 0.8, 0.8, 0.0, 0.5, Map.of())) > 0);
    }

    @Test
    void zeroBlockScalesEverywhereEqualIpScaleZero() {
        GenerationSettings g = TinyModels.settings(23);
        assertArrayEquals(run(g, 0, 0.8, 0, 1, Map.of()), run(g, 0.8, 0.8, 0, 1, Map.of("*", 0.0)));
        byte[] styleOnly = run(g, 0.8, 0.8, 0, 1, Map.of("up_blocks.0.attentions.1", 1.0, "*", 0.0));
        assertTrue(TinyModels.maxDiff(run(g, 0, 0.8, 0, 1, Map.of()), styleOnly) > 0, "the style block alone acts");
    }

    @Test
    void cancelStopsBetweenStepsAndLeavesNothingAllocated() {
        GenerationSettings g = TinyModels.settings(24);
        run(g, 0.8, 0.8, 0, 1, Map.of()); // weights loaded
        long before = p.sdxl().manager.getManagedArrays().size();
        int[] steps = {0};
        Progress cancelAfterOne = new Progress() {
            @Override
            public void step(int image, int step, int total, Preview preview) {
                steps[0] = step;
            }

            @Override
            public boolean cancelled() {
                return steps[0] >= 1;
            }
        };
        Identity id = new Identity(TinyModels.embedding(5), TinyModels.kps(32, 30, 16), 0.8, 0.8);
        assertThrows(CancellationException.class, () -> p.generate(TinyModels.request(g, id), cancelAfterOne));
        assertEquals(1, steps[0], "stopped after the first step");
        assertEquals(before, p.sdxl().manager.getManagedArrays().size(), "arrays left behind by the cancelled run");
    }
}
