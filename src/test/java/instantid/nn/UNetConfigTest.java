package instantid.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.io.Safetensors;
import instantid.io.WeightFileException;
import instantid.parity.FixturesTestAccess;
import instantid.tensor.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UNet config from config.json and from shapes alone; the IP-adapter's processor indices. */
class UNetConfigTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static JsonObject json(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    static UNetConfig sdxlPublished() throws IOException {
        try (InputStream in = UNetConfigTest.class.getResourceAsStream("/instantid/configs/sdxl/unet.json")) {
            return UNetConfig.fromJson(JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject());
        }
    }

    static Weights shapeOnly(Path keys, String strip) throws IOException {
        Weights w = new Weights(manager, DataType.FLOAT32);
        w.mapAll(new ShapeOnlySource(keys, strip), "");
        return w;
    }

    @Test
    void tinyUNetFromShapesEqualsItsConfigJson() throws IOException {
        Path dir = FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/unet");
        UNetConfig fromJson = UNetConfig.fromJson(json(dir.resolve("config.json")));
        try (Safetensors s = Safetensors.open(dir.resolve("diffusion_pytorch_model.safetensors"));
             Weights w = new Weights(manager, DataType.FLOAT32)) {
            w.mapAll(s, "");
            // the tiny model's heads are 16 wide, it has 8 groups and 8-wide time-id sinusoids:
            // exactly the quantities shapes cannot tell
            UNetConfig fromShapes = UNetConfig.fromWeights(w, new UNetConfig.Assumed(16, 8, 8, 1e-5f));
            assertEquals(fromJson, fromShapes);
            // the SDXL assumptions give a different (wrong for this model) head count: heads are assumed
            assertTrue(!fromJson.equals(UNetConfig.fromWeights(w)));
        }
        assertEquals(List.of(1, 2, 4), fromJson.downHeads());
        assertEquals(List.of(3, 2, 1), fromJson.upTransformers());
        assertEquals(3, fromJson.midTransformers());
    }

    @Test
    void tinyControlNetFromShapesEqualsItsConfigJson() throws IOException {
        Path dir = FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/ControlNetModel");
        UNetConfig fromJson = UNetConfig.fromJson(json(dir.resolve("config.json")));
        try (Safetensors s = Safetensors.open(dir.resolve("diffusion_pytorch_model.safetensors"));
             Weights w = new Weights(manager, DataType.FLOAT32)) {
            w.mapAll(s, "");
            assertEquals(fromJson, UNetConfig.fromWeights(w, new UNetConfig.Assumed(16, 8, 8, 1e-5f)));
        }
        assertTrue(fromJson.upBlockTypes().isEmpty());
    }

    @Test
    void realSdxlShapesGiveThePublishedConfig() throws IOException {
        Path keys = FixturesTestAccess.requireFixtures().resolve("keys/sdxl_unet_diffusers.json");
        try (Weights w = shapeOnly(keys, null)) {
            assertEquals(sdxlPublished(), UNetConfig.fromWeights(w));
        }
    }

    @Test
    void realIdentityNetShapesGiveTheSdxlEncoder() throws IOException {
        Path keys = FixturesTestAccess.requireFixtures().resolve("keys/instantid_controlnet_diffusers.json");
        UNetConfig sdxl = sdxlPublished();
        try (Weights w = shapeOnly(keys, null)) {
            UNetConfig c = UNetConfig.fromWeights(w);
            UNetConfig encoderOnly = new UNetConfig(sdxl.inChannels(), sdxl.inChannels(), sdxl.blockOutChannels(),
                    sdxl.downLayers(), sdxl.downBlockTypes(), List.of(), sdxl.downTransformers(), List.of(),
                    sdxl.midTransformers(), sdxl.downHeads(), sdxl.crossAttentionDim(), sdxl.additionTimeEmbedDim(),
                    sdxl.projectionClassEmbeddingsInputDim(), sdxl.normGroups(), sdxl.normEps(),
                    sdxl.useLinearProjection(), sdxl.flipSinToCos(), sdxl.freqShift(), sdxl.midCrossAttn());
            assertEquals(encoderOnly, c);
        }
    }

    @Test
    void attentionProcessorOrderIsDiffusersOrderForRealSdxl() throws IOException {
        Path f = FixturesTestAccess.requireFixtures().resolve("keys/sdxl_attention_processor_order.json");
        List<String> expected = new ArrayList<>();
        for (var e : JsonParser.parseString(Files.readString(f)).getAsJsonArray()) expected.add(e.getAsString());
        assertEquals(expected, sdxlPublished().attentionProcessorOrder());
        try (Weights w = shapeOnly(FixturesTestAccess.requireFixtures().resolve("keys/sdxl_unet_diffusers.json"), null)) {
            assertEquals(expected, UNetConfig.fromWeights(w).attentionProcessorOrder());
        }
    }

    @Test
    void realIpAdapterMapsOntoEveryCrossAttentionOfRealSdxl() throws IOException {
        Path fx = FixturesTestAccess.requireFixtures();
        UNetConfig sdxl = sdxlPublished();
        try (Weights w = shapeOnly(fx.resolve("keys/sdxl_unet_diffusers.json"), null)) {
            int n = IpAdapterKeys.map(w, new ShapeOnlySource(fx.resolve("keys/instantid_ip_adapter_bin.json"), "ip_adapter."), sdxl);
            long crossAttentions = sdxl.attentionProcessorOrder().stream().filter(p -> p.contains(".attn2.")).count();
            assertEquals(2 * crossAttentions, n);
            for (String p : sdxl.attentionProcessorOrder()) {
                if (!p.contains(".attn2.")) continue;
                String base = p.substring(0, p.length() - "processor".length());
                assertEquals(w.shape(base + "to_k.weight"), w.shape(base + "to_k_ip.weight"), base);
                assertEquals(w.shape(base + "to_v.weight"), w.shape(base + "to_v_ip.weight"), base);
            }
            assertEquals("down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k_ip.weight",
                    IpAdapterKeys.internalName("1.to_k_ip.weight", sdxl.attentionProcessorOrder()));
        }
    }

    @Test
    void ipAdapterForAnotherUNetIsRefusedNamingTheFile() throws IOException {
        Path fx = FixturesTestAccess.requireFixtures();
        UNetConfig tiny = UNetConfig.fromJson(json(fx.resolve("pipeline_sdxl_tiny/unet/config.json")));
        try (Weights w = new Weights(manager, DataType.FLOAT32)) {
            Path ip = fx.resolve("keys/instantid_ip_adapter_bin.json");
            WeightFileException e = assertThrows(WeightFileException.class,
                    () -> IpAdapterKeys.map(w, new ShapeOnlySource(ip, "ip_adapter."), tiny));
            assertTrue(e.getMessage().contains("instantid_ip_adapter_bin.json"), e.getMessage());
            assertTrue(e.getMessage().contains("different UNet"), e.getMessage());
        }
    }

    @Test
    void badConfigsAreNamed() {
        JsonObject c = JsonParser.parseString("{\"block_out_channels\":[8,16],\"down_block_types\":[\"DownBlock2D\"],"
                + "\"up_block_types\":[]}").getAsJsonObject();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNetConfig.fromJson(c));
        assertTrue(e.getMessage().contains("down_block_types") && e.getMessage().contains("block_out_channels"), e.getMessage());
    }
}
