package instantid.bench;

import instantid.parity.FixturesTest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark runs on the tiny model and reports every figure (values are not asserted: they live in bench output). */
class BenchTest {

    @Test
    void reportsEveryFigureForTwoIdentities(@TempDir Path tmp) throws Exception {
        Path tiny = FixturesTest.requireFixtures().resolve("pipeline_sdxl_tiny");
        // the tiny Resampler's head split comes from a resampler.json beside ip-adapter.bin: use a random tiny model
        Path model = tmp.resolve("m");
        com.google.gson.JsonObject res = com.google.gson.JsonParser.parseString(Files.readString(
                FixturesTest.requireFixtures().resolve("pipeline_instantid/case.json"))).getAsJsonObject()
                .getAsJsonObject("config").getAsJsonObject("resampler");
        RandomModel.write(model, RandomModel.Configs.of(tiny).withResampler(res), instantid.io.DType.F32, 1, tiny, true, s -> { });
        Bench.Options o = new Bench.Options(ModelPaths.inFolder(model, null, null), RuntimeOptions.CPU_FP32, 64, 64, 1, 2, 1,
                true, 2, 2);
        Map<String, Object> r = Bench.run(o, s -> { });
        for (String k : List.of("load_s", "unet_step_s", "native_ops_per_unet_forward", "identitynet_pass_s",
                "per_extra_identity_s", "vae_decode_s", "image_s", "rss_high_water_mb")) {
            assertTrue(r.containsKey(k), "missing figure " + k + " in " + r);
        }
        assertTrue(((Number) r.get("native_ops_per_unet_forward")).intValue() > 100, "op count " + r.get("native_ops_per_unet_forward"));
        assertTrue(!r.containsKey("full_image_s"), "no per-mode pass unless asked");
        Path json = tmp.resolve("b.json");
        Bench.writeJson(json, r);
        assertTrue(Files.readString(json).contains("\"unet_step_s\""));
    }

    @Test
    void reportsThePeakPerMemoryModeAfterTheMeasuredFigures(@TempDir Path tmp) throws Exception {
        Path model = tinyFloat16Sdxl(tmp);
        Bench.Options o = new Bench.Options(ModelPaths.inFolder(model, null, null), RuntimeOptions.CPU_FP32, 64, 64, 1, 1, 0,
                false, 1, 1, List.of(instantid.pipeline.MemoryMode.FULL, instantid.pipeline.MemoryMode.SEQUENTIAL),
                "fused", "narrow");
        Map<String, Object> r = Bench.run(o, s -> { });
        List<String> keys = new java.util.ArrayList<>(r.keySet());
        for (String m : List.of("full", "sequential")) {
            for (String k : List.of("_plan", "_image_s", "_anon_rss_peak_mb", "_weights_resident_peak_mb")) {
                assertTrue(r.containsKey(m + k), "missing " + m + k + " in " + r);
            }
            assertTrue(r.get(m + "_plan").toString().startsWith(m), r.get(m + "_plan").toString());
        }
        // the modes ran leanest first, and the op count after every memory figure
        assertTrue(keys.indexOf("sequential_plan") < keys.indexOf("full_plan"), keys.toString());
        assertTrue(keys.indexOf("anon_rss_peak_mb") < keys.indexOf("native_ops_per_unet_forward"), keys.toString());
        assertTrue(keys.indexOf("full_anon_rss_peak_mb") < keys.indexOf("native_ops_per_unet_forward"), keys.toString());
        // float16 files on fp32 compute: full holds the UNet (>= its float16 bytes); sequential far less
        long full = ((Number) r.get("full_weights_resident_peak_mb")).longValue();
        long seq = ((Number) r.get("sequential_weights_resident_peak_mb")).longValue();
        assertTrue(seq <= full, seq + " vs " + full);
    }

    @Test
    void timesEachAttentionKernelAndWeightHolding(@TempDir Path tmp) throws Exception {
        Path model = tinyFloat16Sdxl(tmp);
        Bench.Options o = new Bench.Options(ModelPaths.inFolder(model, null, null), RuntimeOptions.CPU_FP32, 64, 64, 1, 1, 0,
                false, 1, 0, List.of(), "fused,composed", "narrow,wide");
        Map<String, Object> r = Bench.run(o, s -> { });
        assertEquals("fused_narrow", r.get("step_variant"));
        assertEquals("fused", r.get("attention"));
        for (String k : List.of("unet_step_s", "unet_step_s_fused_wide", "unet_step_s_composed_narrow",
                "unet_step_s_composed_wide", "vae_decode_s", "vae_decode_s_composed", "attention_level1_s_fused",
                "attention_level1_s_composed")) {
            assertTrue(r.get(k) instanceof Number, "missing " + k + " in " + r);
        }
        assertEquals("composed", r.get("attention_composed_wide"));
        assertEquals(instantid.tensor.AttentionKernel.FUSED, instantid.tensor.Ops.attentionKernel, "the first kernel is restored");
        assertThrows(IllegalArgumentException.class, () -> new Bench.Options(ModelPaths.inFolder(model, null, null),
                RuntimeOptions.CPU_FP32, 64, 64, 1, 1, 0, false, 1, 0, List.of(), "flash", "narrow"));
    }

    /** The tiny SDXL config with random float16 weights (the CPU case: held narrow, computed in float32). */
    private static Path tinyFloat16Sdxl(Path tmp) throws Exception {
        Path tiny = FixturesTest.requireFixtures().resolve("pipeline_sdxl_tiny");
        Path model = tmp.resolve("m");
        RandomModel.write(model, RandomModel.Configs.of(tiny), instantid.io.DType.F16, 1, tiny, false, s -> { });
        return model;
    }
}
