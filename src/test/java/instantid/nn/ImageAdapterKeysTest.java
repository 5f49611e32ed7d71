package instantid.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.parity.FixturesTest;
import instantid.tensor.Weights;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key coverage of IP-Adapter SDXL and its image encoders. The fixtures' {@code keys/} holds no key
 * lists of the h94/IP-Adapter files, so the lists here are derived from the published configs
 * (bundled under {@code configs/ip_adapter/}: ViT-H/14, ViT-bigG/14, ip-adapter_sdxl,
 * ip-adapter-plus_sdxl_vit-h) and checked three ways: the networks build from them without
 * allocating (every shape check passes on a shape-only source); their {@code ip_adapter} part
 * equals, index for index and shape for shape, the real InstantID ip-adapter.bin's (both give the
 * SDXL UNet 2048-wide tokens, N = 1, 3, ..., 139), and maps onto the real SDXL UNet's keys; and the
 * same code on the tiny configs gives exactly the tiny fixture files' keys.
 */
class ImageAdapterKeysTest {

    static JsonObject bundled(String name) throws IOException {
        try (InputStream in = ImageAdapterKeysTest.class.getResourceAsStream("/instantid/configs/" + name + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static UNetConfig sdxlUnet() throws IOException {
        return UNetConfig.fromJson(bundled("sdxl/unet"));
    }

    @Test
    void bothPublishedImageEncodersBuildFromTheirParameterLists() throws Exception {
        for (String[] e : new String[][] {{"ip_adapter/image_encoder_vit_h", "1280", "32", "1024"},
                {"ip_adapter/image_encoder_vit_bigg", "1664", "48", "1280"}}) {
            ClipVisionConfig c = ClipVisionConfig.fromJson(bundled(e[0]));
            assertEquals(Integer.parseInt(e[1]), c.hiddenSize());
            assertEquals(Integer.parseInt(e[2]), c.layers());
            assertEquals(257, c.positions());
            Map<String, long[]> keys = ParameterLists.clipVision(c);
            assertEquals(5 + 16 * c.layers() + 2 + 1, keys.size(), e[0] + ": parameter count");
            try (NDManager m = NDManager.newBaseManager(); Weights w = new Weights(m, DataType.FLOAT32)) {
                w.mapAll(new ShapeOnlySource(e[0], keys, null), "");
                ClipVisionEncoder enc = new ClipVisionEncoder(c, w); // the shape-only source throws on any read
                assertEquals(Integer.parseInt(e[3]), enc.config().projectionDim());
            }
        }
    }

    @Test
    void plainAdapterSdxlKeysBuildTheProjectionAndMapOntoTheRealUNet() throws Exception {
        JsonObject cfg = bundled("ip_adapter/ip_adapter_sdxl");
        UNetConfig unet = sdxlUnet();
        Map<String, long[]> keys = ParameterLists.ipAdapterPlain(cfg.get("clip_embeddings_dim").getAsInt(),
                cfg.get("clip_extra_context_tokens").getAsInt(), unet);
        Path fx = FixturesTest.requireFixtures().resolve("keys");
        // the ip_adapter part equals InstantID's real ip-adapter.bin's (same UNet, same token width)
        Map<String, String> realIp = new TreeMap<>(ParameterListsTest.keys(fx.resolve("instantid_ip_adapter_bin.json"), ""));
        realIp.keySet().removeIf(k -> !k.startsWith("ip_adapter."));
        Map<String, String> ours = ParameterListsTest.of(keys, "");
        ours.keySet().removeIf(k -> !k.startsWith("ip_adapter."));
        ParameterListsTest.same(realIp, ours, "ip-adapter_sdxl ip_adapter part vs InstantID's real ip-adapter.bin");
        try (NDManager m = NDManager.newBaseManager(); Weights unetW = new Weights(m, DataType.FLOAT32);
             Weights layers = new Weights(m, DataType.FLOAT32); Weights proj = new Weights(m, DataType.FLOAT32)) {
            unetW.mapAll(new ShapeOnlySource(fx.resolve("sdxl_unet_diffusers.json"), null), "");
            assertEquals(140, IpAdapterKeys.map(layers, unetW, new ShapeOnlySource("ip-adapter_sdxl", keys, "ip_adapter."), unet));
            assertTrue(layers.has("up_blocks.0.attentions.1.transformer_blocks.9.attn2.to_k_ip.weight"));
            proj.mapAll(new ShapeOnlySource("ip-adapter_sdxl", keys, "image_proj."), "");
            ImageProjModel pm = new ImageProjModel(proj);
            assertEquals(1280, pm.clipEmbeddingsDim());
            assertEquals(2048, pm.crossAttentionDim());
            assertEquals(4, pm.tokens());
            assertEquals(1280, ClipVisionConfig.fromJson(bundled("ip_adapter/image_encoder_vit_bigg")).projectionDim(),
                    "the plain adapter's input is ViT-bigG's image_embeds");
        }
    }

    @Test
    void plusAdapterKeysBuildTheResamplerOverViTHHiddenStates() throws Exception {
        ResamplerConfig r = ResamplerConfig.fromJson(bundled("ip_adapter/ip_adapter_plus_sdxl_vit_h"), null);
        UNetConfig unet = sdxlUnet();
        Map<String, long[]> keys = ParameterLists.ipAdapterBin(r, unet);
        Path fx = FixturesTest.requireFixtures().resolve("keys");
        Map<String, String> real = ParameterListsTest.keys(fx.resolve("instantid_ip_adapter_bin.json"), "");
        Map<String, String> ours = ParameterListsTest.of(keys, "");
        // InstantID's adapter is this Resampler on 512-d face embeddings: only proj_in's input width differs
        real.remove("image_proj.proj_in.weight");
        assertEquals("[1280,1280]", ours.remove("image_proj.proj_in.weight"));
        ParameterListsTest.same(real, ours, "ip-adapter-plus_sdxl_vit-h vs InstantID's ip-adapter.bin");
        try (NDManager m = NDManager.newBaseManager(); Weights w = new Weights(m, DataType.FLOAT32)) {
            w.mapAll(new ShapeOnlySource("plus", keys, "image_proj."), "");
            Resampler res = Resampler.fromWeights(w);
            assertEquals(r, res.config(), "the head split read from the shapes is the published one");
            assertEquals(ClipVisionConfig.fromJson(bundled("ip_adapter/image_encoder_vit_h")).hiddenSize(), res.config().embeddingDim());
        }
    }

    @Test
    void tinyConfigsGiveTheTinyFilesKeys() throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path tiny = fx.resolve("ip_adapter_sdxl_tiny");
        ClipVisionConfig vc = ClipVisionConfig.fromJson(ParameterListsTest.json(tiny.resolve("image_encoder/config.json")));
        ParameterListsTest.same(ParameterListsTest.fileKeys(tiny.resolve("image_encoder/model.safetensors")),
                ParameterListsTest.of(ParameterLists.clipVision(vc), ""), "tiny image encoder");
        UNetConfig unet = UNetConfig.fromJson(ParameterListsTest.json(fx.resolve("pipeline_sdxl_tiny/unet/config.json")));
        ParameterListsTest.same(ParameterListsTest.fileKeys(tiny.resolve("ip-adapter_sdxl_tiny.safetensors")),
                ParameterListsTest.of(ParameterLists.ipAdapterPlain(vc.projectionDim(), 4, unet), ""), "tiny ip-adapter_sdxl");
    }

    @Test
    void anEncoderWhoseWeightsDisagreeWithItsConfigIsRefused() throws Exception {
        ClipVisionConfig h = ClipVisionConfig.fromJson(bundled("ip_adapter/image_encoder_vit_h"));
        ClipVisionConfig g = ClipVisionConfig.fromJson(bundled("ip_adapter/image_encoder_vit_bigg"));
        try (NDManager m = NDManager.newBaseManager(); Weights w = new Weights(m, DataType.FLOAT32)) {
            w.mapAll(new ShapeOnlySource("vit-h", ParameterLists.clipVision(h), null), "");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClipVisionEncoder(g, w));
            assertTrue(e.getMessage().contains("patch_embedding"), e.getMessage());
        }
    }
}
