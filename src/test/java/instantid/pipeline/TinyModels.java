package instantid.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.parity.FixturesTestAccess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tiny fixture model ({@code pipeline_sdxl_tiny}) for pipeline tests: loading, small settings
 * (64x64, few steps, so a whole generation takes well under a second), a seeded face embedding and
 * keypoints. Tests skip with a message when the fixtures are absent.
 */
public final class TinyModels {

    private TinyModels() {
    }

    public static Path fixtures() {
        return FixturesTestAccess.requireFixtures();
    }

    public static Path dir() {
        return fixtures().resolve("pipeline_sdxl_tiny");
    }

    /** The tiny Resampler's constructor arguments (its head split is not in the weights). */
    public static JsonObject resamplerConfig() {
        try {
            JsonObject c = JsonParser.parseString(Files.readString(fixtures().resolve("pipeline_instantid/case.json")))
                    .getAsJsonObject();
            return c.getAsJsonObject("config").getAsJsonObject("resampler");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelPaths folder() {
        return ModelPaths.inFolder(dir(), null, null);
    }

    /** The single fp16 checkpoint for the networks; tokenizers, scheduler, ControlNetModel/ and ip-adapter.bin from the folder. */
    public static ModelPaths singleFile() {
        return ModelPaths.inFolder(dir(), dir().resolve("sdxl_tiny_single_file.safetensors"), null);
    }

    public static InstantIdPipeline instantId(ModelPaths paths) {
        return InstantIdPipeline.load(paths, RuntimeOptions.CPU_FP32, Progress.NONE, resamplerConfig());
    }

    public static InstantIdPipeline instantId() {
        return instantId(folder());
    }

    public static SdxlPipeline sdxl(ModelPaths paths) {
        return SdxlPipeline.load(paths, RuntimeOptions.CPU_FP32, Progress.NONE);
    }

    /** 64x64, 3 Euler steps, guidance 5 (so both CFG branches run), one image. */
    public static GenerationSettings settings(long seed) {
        return new GenerationSettings("a photo of a person, film grain", "blurry", 3, 5.0, 64, 64, seed, "euler", 1,
                List.of());
    }

    /** A 512-d embedding with the scale of insightface's raw ArcFace output (norm about 20). */
    public static float[] embedding(long seed) {
        Random r = new Random(seed);
        float[] e = new float[512];
        for (int i = 0; i < e.length; i++) e[i] = (float) (r.nextGaussian() * 0.9);
        return e;
    }

    /** Five face keypoints (eyes, nose, mouth corners) of a face centred at (cx, cy) with eye distance d. */
    public static float[] kps(float cx, float cy, float d) {
        return new float[] {cx - d / 2, cy - d / 3, cx + d / 2, cy - d / 3, cx, cy + d / 6,
                cx - d / 3, cy + d / 2, cx + d / 3, cy + d / 2};
    }

    public static Identity identity(long embeddingSeed, GenerationSettings g) {
        return new Identity(embedding(embeddingSeed), kps(g.width() / 2f, g.height() / 2f, g.width() / 4f), 0.8, 0.8);
    }

    public static InstantIdRequest request(GenerationSettings g, Identity... ids) {
        return new InstantIdRequest(g, List.of(ids), 0.0, 1.0, Map.of());
    }

    /**
     * A tiny IP-Adapter Plus for the tiny SDXL UNet and the tiny image encoder (a Resampler over its
     * 64-wide hidden states to 4 tokens of 48), in the published layout, as .bin (torch zip) or
     * .safetensors; the same deterministic values either way.
     */
    public static Path writeTinyPlus(Path dir, boolean bin) throws IOException {
        instantid.nn.UNetConfig unet = instantid.nn.UNetConfig.fromJson(
                JsonParser.parseString(Files.readString(dir().resolve("unet/config.json"))).getAsJsonObject());
        Map<String, long[]> keys = instantid.nn.ParameterLists.ipAdapterBin(
                new instantid.nn.ResamplerConfig(32, 1, 16, 2, 4, 64, 48, 2), unet);
        instantid.io.TensorWriter.Values values = (name, shape, start, out) -> {
            if (name.endsWith(".bias")) return;
            if (shape.length == 1) {
                java.util.Arrays.fill(out, 1f);
                return;
            }
            long fan = 1;
            for (int i = 1; i < shape.length; i++) fan *= shape[i];
            double a = Math.sqrt(3.0 / Math.max(1, name.endsWith("latents") ? shape[shape.length - 1] : fan));
            java.util.SplittableRandom r = new java.util.SplittableRandom(name.hashCode() * 31L + start);
            for (int i = 0; i < out.length; i++) out[i] = (float) ((r.nextDouble() * 2 - 1) * a);
        };
        if (!bin) {
            Path f = dir.resolve("ip-adapter-plus_tiny.safetensors");
            instantid.io.SafetensorsWriter.write(f, keys, instantid.io.DType.F16, values);
            return f;
        }
        Map<String, Map<String, long[]>> parts = new java.util.LinkedHashMap<>();
        for (String part : List.of("image_proj", "ip_adapter")) {
            Map<String, long[]> m = new java.util.LinkedHashMap<>();
            keys.forEach((k, v) -> {
                if (k.startsWith(part + ".")) m.put(k.substring(part.length() + 1), v);
            });
            parts.put(part, m);
        }
        Path f = dir.resolve("ip-adapter-plus_tiny.bin");
        instantid.io.TorchZipWriter.write(f, parts, instantid.io.DType.F16, values);
        return f;
    }

    /** The largest absolute difference of two 8-bit images, in grey levels. */
    public static int maxDiff(byte[] a, byte[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length + " bytes");
        int m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        return m;
    }

    public static byte[] pixels(Result r) {
        return r.images().get(0).rgb();
    }
}
