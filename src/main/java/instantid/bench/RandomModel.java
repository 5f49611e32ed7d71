package instantid.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.io.DType;
import instantid.io.SafetensorsWriter;
import instantid.io.TensorWriter;
import instantid.io.TorchZipWriter;
import instantid.nn.ClipTextConfig;
import instantid.nn.ParameterLists;
import instantid.nn.ResamplerConfig;
import instantid.nn.UNetConfig;
import instantid.nn.VaeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a model folder of any config with random weights, in the published layouts: a diffusers
 * SDXL folder (configs, safetensors, tokenizers copied from a folder that has them) and, with
 * InstantID, {@code ControlNetModel/} and {@code ip-adapter.bin} (torch zip). The key lists come
 * from {@link ParameterLists}; values are uniform with the variance of a standard init
 * (1/fan_in for weights, 0 for biases, 1 for norm scales), so activations stay finite and the
 * benchmark measures real work at real sizes where no real weights are at hand.
 */
public final class RandomModel {

    /** The configs of one model: unet, vae, text_encoder, text_encoder_2, controlnet, resampler, scheduler. */
    public record Configs(JsonObject unet, JsonObject vae, JsonObject textEncoder, JsonObject textEncoder2,
                          JsonObject controlnet, JsonObject resampler, JsonObject scheduler) {

        /** The published SDXL base + InstantID configs (bundled in the jar). */
        public static Configs sdxl() {
            return new Configs(bundled("unet"), bundled("vae"), bundled("text_encoder"), bundled("text_encoder_2"),
                    bundled("controlnet"), bundled("resampler"), bundled("scheduler"));
        }

        /**
         * Small configs of the same architectures (the reference fixtures' tiny model: the same
         * blocks and key names, fewer channels), bundled in the jar: the demo model folder.
         */
        public static Configs tiny() {
            return new Configs(bundled("tiny", "unet"), bundled("tiny", "vae"), bundled("tiny", "text_encoder"),
                    bundled("tiny", "text_encoder_2"), bundled("tiny", "controlnet"), bundled("tiny", "resampler"),
                    bundled("tiny", "scheduler"));
        }

        public Configs withResampler(JsonObject r) {
            return new Configs(unet, vae, textEncoder, textEncoder2, controlnet, r, scheduler);
        }

        /** The configs of an existing model folder (e.g. a tiny one); resampler.json is optional. */
        public static Configs of(Path dir) {
            JsonObject res = Files.isRegularFile(dir.resolve("resampler.json")) ? read(dir.resolve("resampler.json")) : null;
            Path cn = dir.resolve("ControlNetModel/config.json");
            return new Configs(read(dir.resolve("unet/config.json")), read(dir.resolve("vae/config.json")),
                    read(dir.resolve("text_encoder/config.json")), read(dir.resolve("text_encoder_2/config.json")),
                    Files.isRegularFile(cn) ? read(cn) : null, res, read(dir.resolve("scheduler/scheduler_config.json")));
        }
    }

    private RandomModel() {
    }

    /**
     * Writes the folder. {@code tokenizers} is a model folder whose {@code tokenizer/} and
     * {@code tokenizer_2/} are copied (CLIP's vocabulary is data, not weights); null writes a
     * {@link TinyTokenizer} instead.
     */
    public static void write(Path out, Configs c, DType dtype, long seed, Path tokenizers, boolean instantId,
                             Consumer<String> log) throws IOException {
        TensorWriter.Values values = values(seed);
        Files.createDirectories(out);
        json(out.resolve("model_index.json"), modelIndex());
        json(out.resolve("scheduler/scheduler_config.json"), c.scheduler());
        String variant = dtype == DType.F16 ? ".fp16" : "";
        UNetConfig unet = UNetConfig.fromJson(c.unet());
        component(out, "unet", c.unet(), "diffusion_pytorch_model" + variant, ParameterLists.unet(unet), dtype, values, log);
        component(out, "vae", c.vae(), "diffusion_pytorch_model" + variant,
                ParameterLists.vae(VaeConfig.fromJson(c.vae())), dtype, values, log);
        component(out, "text_encoder", c.textEncoder(), "model" + variant,
                ParameterLists.clip(ClipTextConfig.fromJson(c.textEncoder(), null)), dtype, values, log);
        component(out, "text_encoder_2", c.textEncoder2(), "model" + variant,
                ParameterLists.clip(ClipTextConfig.fromJson(c.textEncoder2(), null)), dtype, values, log);
        if (tokenizers == null) {
            TinyTokenizer.write(out);
        } else {
            for (String t : new String[] {"tokenizer", "tokenizer_2"}) copyFolder(tokenizers.resolve(t), out.resolve(t));
        }
        if (instantId) {
            if (c.controlnet() == null || c.resampler() == null) {
                throw new IllegalArgumentException("InstantID needs a ControlNetModel config and a resampler config");
            }
            component(out, "ControlNetModel", c.controlnet(), "diffusion_pytorch_model",
                    ParameterLists.controlNet(UNetConfig.fromJson(c.controlnet()), ParameterLists.ControlNetCond.fromJson(c.controlnet())),
                    dtype, values, log);
            ResamplerConfig r = ResamplerConfig.fromJson(c.resampler(), null);
            Map<String, Map<String, long[]>> parts = new LinkedHashMap<>();
            parts.put("image_proj", ParameterLists.resampler(r));
            parts.put("ip_adapter", ParameterLists.ipAdapter(unet, r.outputDim()));
            log.accept("writing ip-adapter.bin");
            TorchZipWriter.write(out.resolve("ip-adapter.bin"), parts, dtype, values);
            json(out.resolve("resampler.json"), c.resampler());
        }
    }

    private static void component(Path out, String name, JsonObject config, String stem, Map<String, long[]> shapes,
                                  DType dtype, TensorWriter.Values values, Consumer<String> log) throws IOException {
        long n = 0;
        for (long[] s : shapes.values()) n += TensorWriter.elements(s);
        log.accept(String.format(java.util.Locale.ROOT, "writing %s: %d tensors, %.1f M parameters", name, shapes.size(), n / 1e6));
        json(out.resolve(name).resolve("config.json"), config);
        SafetensorsWriter.write(out.resolve(name).resolve(stem + ".safetensors"), shapes, dtype, values);
    }

    /** Deterministic values per (seed, tensor, chunk): see the class comment for the scales. */
    public static TensorWriter.Values values(long seed) {
        return (name, shape, start, outChunk) -> {
            float v;
            if (name.endsWith(".bias")) {
                java.util.Arrays.fill(outChunk, 0f);
                return;
            }
            if (shape.length == 1 && name.endsWith(".weight")) {
                java.util.Arrays.fill(outChunk, 1f);
                return;
            }
            double std;
            if (name.contains("embedding")) {
                std = 0.02;
            } else if (name.endsWith("latents")) {
                std = 1.0 / Math.sqrt(shape[shape.length - 1]);
            } else {
                long fanIn = 1;
                for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
                std = 1.0 / Math.sqrt(Math.max(1, fanIn));
            }
            float a = (float) (std * Math.sqrt(3));
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode() * 31L ^ start);
            for (int i = 0; i < outChunk.length; i++) {
                v = (float) (r.nextDouble() * 2 - 1) * a;
                outChunk[i] = v;
            }
        };
    }

    private static JsonObject modelIndex() {
        JsonObject o = JsonParser.parseString("{\"_class_name\":\"StableDiffusionXLPipeline\",\"force_zeros_for_empty_prompt\":true,"
                + "\"scheduler\":[\"diffusers\",\"EulerDiscreteScheduler\"],\"text_encoder\":[\"transformers\",\"CLIPTextModel\"],"
                + "\"text_encoder_2\":[\"transformers\",\"CLIPTextModelWithProjection\"],\"tokenizer\":[\"transformers\",\"CLIPTokenizer\"],"
                + "\"tokenizer_2\":[\"transformers\",\"CLIPTokenizer\"],\"unet\":[\"diffusers\",\"UNet2DConditionModel\"],"
                + "\"vae\":[\"diffusers\",\"AutoencoderKL\"]}").getAsJsonObject();
        return o;
    }

    public static JsonObject bundled(String name) {
        return bundled("sdxl", name);
    }

    public static JsonObject bundled(String set, String name) {
        try (InputStream in = RandomModel.class.getResourceAsStream("/instantid/configs/" + set + "/" + name + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject read(Path p) {
        try {
            return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + p + ": " + e.getMessage());
        }
    }

    private static void json(Path p, JsonObject o) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, new GsonBuilder().setPrettyPrinting().create().toJson(o));
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from.resolve("vocab.json"))) {
            throw new IllegalArgumentException("no CLIP tokenizer in " + from + ": give --tokenizers DIR, a model folder with "
                    + "tokenizer/ and tokenizer_2/ (vocab.json, merges.txt)");
        }
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
