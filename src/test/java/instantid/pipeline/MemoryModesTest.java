package instantid.pipeline;

import instantid.tensor.Residency;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: every memory mode makes the same image as full (same seed), and offload / sequential
 * keep no more than the planned networks resident at once — counted in bytes of live arrays on each
 * network's weight manager (the "device" here is the CPU).
 */
class MemoryModesTest {

    private static final Set<String> TEXT = Set.of("text_encoder", "text_encoder_2");
    private static final Set<String> DENOISE = Set.of("unet", "identitynet", "resampler");
    private static final Set<String> DECODE = Set.of("vae");

    private record Run(byte[] pixels, Residency residency, String memory) {
    }

    private static Run run(String mode) {
        GenerationSettings g = TinyModels.settings(99);
        try (InstantIdPipeline p = InstantIdPipeline.load(TinyModels.folder(), new RuntimeOptions("cpu", "fp32", mode),
                Progress.NONE, TinyModels.resamplerConfig())) {
            Residency r = new Residency();
            p.sdxl().memory.track(r);
            long t0 = System.nanoTime();
            Result res = p.generate(TinyModels.request(g, TinyModels.identity(3, g)), Progress.NONE);
            String memory = com.google.gson.JsonParser.parseString(res.settingsJson()).getAsJsonObject().get("memory").getAsString();
            System.err.println(mode + " " + (System.nanoTime() - t0) / 1e9 + " s, peak " + r.peakBytes() + " " + r.atPeak()
                    + ", max " + r.maxBytes());
            return new Run(TinyModels.pixels(res), r, memory);
        }
    }

    @Test
    void everyModeMakesTheSameImageAndKeepsItsPlan() {
        Run full = run("full");
        Run offload = run("offload");
        Run sequential = run("sequential");
        assertTrue(full.memory().startsWith("full"), full.memory());
        assertTrue(offload.memory().startsWith("offload"), offload.memory());
        assertTrue(sequential.memory().startsWith("sequential"), sequential.memory());
        assertTrue(TinyModels.maxDiff(full.pixels(), offload.pixels()) <= 1, "offload differs from full");
        assertTrue(TinyModels.maxDiff(full.pixels(), sequential.pixels()) <= 1, "sequential differs from full");

        // full: everything ends up resident together (the check below can fail)
        List<Set<String>> fullSets = full.residency().residentSets();
        assertTrue(fullSets.stream().anyMatch(s -> s.containsAll(TEXT) && s.containsAll(DENOISE) && s.containsAll(DECODE)),
                fullSets.toString());
        // offload: at every sample the resident networks belong to one stage
        for (Set<String> s : offload.residency().residentSets()) {
            assertTrue(TEXT.containsAll(s) || DENOISE.containsAll(s) || DECODE.containsAll(s),
                    "offload had " + s + " resident at once: " + offload.residency().residentSets());
        }
        assertTrue(offload.residency().residentSets().stream().anyMatch(s -> s.contains("unet")));
        assertTrue(offload.residency().peakBytes() < full.residency().peakBytes(),
                offload.residency().peakBytes() + " vs " + full.residency().peakBytes());
        // sequential: only the running block's weights, never a whole UNet, far below full
        long seqPeak = sequential.residency().peakBytes();
        long unetFull = full.residency().atPeak().getOrDefault("unet", 0L);
        assertTrue(seqPeak > 0 && seqPeak < unetFull, "sequential peak " + seqPeak + " vs the UNet's " + unetFull);
        assertTrue(seqPeak < full.residency().peakBytes() / 2, seqPeak + " vs full " + full.residency().peakBytes());
        // no network is ever wholly resident (the text encoders are left out: the tiny CLIP's token
        // embedding table, one weight, is nearly all of its bytes)
        for (String net : List.of("unet", "identitynet", "vae")) {
            long seq = sequential.residency().maxBytes().getOrDefault(net, 0L);
            long whole = full.residency().maxBytes().getOrDefault(net, 0L);
            assertTrue(seq > 0 && seq < whole, net + ": at most " + seq + " bytes resident in sequential mode, " + whole + " in full");
        }
    }

    @Test
    void autoSaysWhatItChoseFromFreeMemoryAndSize() {
        MemoryPlan.Need n = new MemoryPlan.Need(1_600_000_000L, 7_700_000_000L, 330_000_000L, 15_400_000_000L,
                3_200_000_000L, MemoryPlan.unetActivation(1024, 1024, 2, false), MemoryPlan.vaeActivation(1024, 1024, 4, false),
                MemoryPlan.vaeActivation(512, 512, 4, false));
        // fused attention never holds a score matrix: 2 GB less at 1024 px in float16 (10 heads x 4096^2 x 3)
        assertEquals(2L * 10 * 4096 * 4096 * 2 * 3,
                MemoryPlan.unetActivation(1024, 1024, 2, false) - MemoryPlan.unetActivation(1024, 1024, 2, true));
        assertEquals(MemoryMode.FULL, MemoryPlan.choose(MemoryMode.AUTO, 24_000_000_000L, n, false).mode());
        MemoryPlan twelve = MemoryPlan.choose(MemoryMode.AUTO, 12_000_000_000L, n, false);
        assertEquals(MemoryMode.OFFLOAD, twelve.mode(), twelve.reason());
        assertTrue(twelve.reason().startsWith("auto chose offload") && twelve.reason().contains("12.0 GB free"), twelve.reason());
        MemoryPlan eight = MemoryPlan.choose(MemoryMode.AUTO, 8_000_000_000L, n, false);
        assertEquals(MemoryMode.SEQUENTIAL, eight.mode(), eight.reason());
        assertTrue(eight.tiledVae());
        // a CPU with room holds float16 weights widened (no per-step cast); without room it does not
        assertTrue(MemoryPlan.choose(MemoryMode.AUTO, 64_000_000_000L, n, true).holdWide());
        assertTrue(!MemoryPlan.choose(MemoryMode.AUTO, 17_000_000_000L, n, true).holdWide());
        assertEquals(MemoryMode.SEQUENTIAL, MemoryPlan.choose(MemoryMode.SEQUENTIAL, 64_000_000_000L, n, false).mode());
    }
}
