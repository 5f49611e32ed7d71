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
