package instantid.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.io.TensorSources;
import instantid.io.TensorSource;
import instantid.parity.FixturesTest;
import instantid.tensor.Weights;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parameter lists random-model writes are the published files' parameters: for the real SDXL /
 * IdentityNet / ip-adapter configs (bundled in the jar) they equal every key and shape of the
 * real files ({@code keys/*.json}), and for the tiny configs the tiny fixture files.
 */
class ParameterListsTest {

    static JsonObject bundled(String name) throws IOException {
        try (InputStream in = ParameterListsTest.class.getResourceAsStream("/instantid/configs/sdxl/" + name + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static Map<String, String> keys(Path json, String dropPrefix) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String k = e.getKey().startsWith(dropPrefix) ? e.getKey().substring(dropPrefix.length()) : e.getKey();
            m.put(k, e.getValue().toString().replace(" ", ""));
        }
        return m;
    }

    static Map<String, String> of(Map<String, long[]> shapes, String dropPrefix) {
        Map<String, String> m = new TreeMap<>();
        shapes.forEach((k, v) -> m.put(k.startsWith(dropPrefix) ? k.substring(dropPrefix.length()) : k,
                Arrays.toString(v).replace(" ", "")));
        return m;
    }

    static void same(Map<String, String> expected, Map<String, String> actual, String what) {
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        TreeSet<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        assertTrue(missing.isEmpty() && extra.isEmpty(), what + ": missing " + head(missing) + ", extra " + head(extra));
        for (String k : expected.keySet()) assertEquals(expected.get(k), actual.get(k), what + ": shape of " + k);
    }

    static String head(TreeSet<String> s) {
        return s.size() + " " + s.stream().limit(4).toList();
    }

    @Test
    void realSdxlAndInstantIdConfigsGiveTheRealFilesKeys() throws Exception {
        Path k = FixturesTest.requireFixtures().resolve("keys");
        UNetConfig unet = UNetConfig.fromJson(bundled("unet"));
        same(keys(k.resolve("sdxl_unet_diffusers.json"), ""), of(ParameterLists.unet(unet), ""), "SDXL UNet");
        JsonObject cn = bundled("controlnet");
        same(keys(k.resolve("instantid_controlnet_diffusers.json"), ""),
                of(ParameterLists.controlNet(UNetConfig.fromJson(cn), ParameterLists.ControlNetCond.fromJson(cn)), ""), "IdentityNet");
        same(keys(k.resolve("sdxl_vae_diffusers.json"), ""), of(ParameterLists.vae(VaeConfig.fromJson(bundled("vae"))), ""), "VAE");
        same(keys(k.resolve("sdxl_text_encoder_hf.json"), "text_model."),
                of(ParameterLists.clip(clip(bundled("text_encoder"))), "text_model."), "text encoder");
        same(keys(k.resolve("sdxl_text_encoder_2_hf.json"), "text_model."),
                of(ParameterLists.clip(clip(bundled("text_encoder_2"))), "text_model."), "text encoder 2");
        ResamplerConfig r = ResamplerConfig.fromJson(bundled("resampler"), null);
        same(keys(k.resolve("instantid_ip_adapter_bin.json"), ""), of(ParameterLists.ipAdapterBin(r, unet), ""), "ip-adapter.bin");
    }

    /** A CLIP config from its JSON alone (no weights to look at). */
    static ClipTextConfig clip(JsonObject c) {
        try (NDManager m = NDManager.newBaseManager(); Weights w = new Weights(m, DataType.FLOAT32)) {
            return ClipTextConfig.fromJson(c, w);
        }
    }

    @Test
    void tinyConfigsGiveTheTinyFilesKeys() throws Exception {
        Path tiny = FixturesTest.requireFixtures().resolve("pipeline_sdxl_tiny");
        JsonObject u = json(tiny.resolve("unet/config.json")), cn = json(tiny.resolve("ControlNetModel/config.json"));
        same(fileKeys(tiny.resolve("unet/diffusion_pytorch_model.safetensors")), of(ParameterLists.unet(UNetConfig.fromJson(u)), ""), "tiny UNet");
        same(fileKeys(tiny.resolve("ControlNetModel/diffusion_pytorch_model.safetensors")),
                of(ParameterLists.controlNet(UNetConfig.fromJson(cn), ParameterLists.ControlNetCond.fromJson(cn)), ""), "tiny IdentityNet");
        same(fileKeys(tiny.resolve("vae/diffusion_pytorch_model.safetensors")),
                of(ParameterLists.vae(VaeConfig.fromJson(json(tiny.resolve("vae/config.json")))), ""), "tiny VAE");
    }

    static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    static Map<String, String> fileKeys(Path file) {
        Map<String, String> m = new TreeMap<>();
        try (TensorSource s = TensorSources.open(file)) {
            for (String n : s.names()) m.put(n, Arrays.toString(s.info(n).shape()).replace(" ", ""));
        }
        return m;
    }
}
