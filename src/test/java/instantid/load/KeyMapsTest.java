package instantid.load;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import instantid.io.DType;
import instantid.io.ShapeSource;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.load.ModelLayout.Net;
import instantid.parity.FixturesTestAccess;
import instantid.tensor.Weights;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proof of completeness on the real, full-size key lists (shapes only, nothing allocated) and on
 * the tiny fixture files: every key of each layout maps onto exactly the internal parameters, with
 * the same shapes, none left over on either side.
 */
class KeyMapsTest {

    private static Path keys() {
        return FixturesTestAccess.requireFixtures().resolve("keys");
    }

    private static Path tiny() {
        return FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny");
    }

    /** internal name → shape after the transform; fails on a name mapped twice. */
    private static Map<String, List<Long>> mapped(KeyMaps.Result r, TensorSource src) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (KeyMaps.Mapping m : r.mappings()) {
            long[] s = m.transform().shape(src.info(m.key()).shape());
            List<Long> l = new ArrayList<>();
            for (long d : s) l.add(d);
            assertTrue(out.put(m.name(), l) == null, "mapped twice: " + m.name());
        }
        return out;
    }

    private static Map<String, List<Long>> shapes(TensorSource src, boolean stripTextModel) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (String k : src.names()) {
            if (k.endsWith("position_ids")) continue;
            List<Long> l = new ArrayList<>();
            for (long d : src.info(k).shape()) l.add(d);
            out.put(stripTextModel && k.startsWith("text_model.") ? k.substring(11) : k, l);
        }
        return out;
    }

    private static void assertSameParams(Map<String, List<Long>> expected, Map<String, List<Long>> actual, String what) {
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        assertTrue(missing.isEmpty() && extra.isEmpty(), what + ": missing " + first(missing) + " extra " + first(extra));
        for (String k : expected.keySet()) assertEquals(expected.get(k), actual.get(k), what + ": shape of " + k);
    }

    private static String first(Set<String> s) {
        return s.size() + " " + s.stream().limit(5).toList();
    }

    /** The SGM single file maps onto the four diffusers/transformers networks; every key used once. */
    private static void checkSingleFile(TensorSource single, Map<Net, TensorSource> diffusers) {
        ModelLayout l = ModelLayout.file(single.path(), single, null);
        assertEquals(ModelLayout.Kind.SGM_SINGLE_FILE, l.kind());
        Set<String> used = new HashSet<>();
        for (Net net : List.of(Net.UNET, Net.VAE, Net.TEXT_ENCODER, Net.TEXT_ENCODER_2)) {
            ModelLayout.Part p = l.part(net);
            KeyMaps.Result r = KeyMaps.map(net, p.naming(), single, p.prefix());
            assertTrue(r.unused().isEmpty(), net + ": unexplained keys " + first(r.unused()));
            for (KeyMaps.Mapping m : r.mappings()) used.add(m.key());
            TensorSource d = diffusers.get(net);
            KeyMaps.Result rd = KeyMaps.map(net, net == Net.UNET || net == Net.VAE
                    ? ModelLayout.Naming.DIFFUSERS : ModelLayout.Naming.HF_CLIP, d, "");
            assertTrue(rd.unused().isEmpty(), net + " (diffusers): unexplained keys " + first(rd.unused()));
            assertSameParams(shapes(d, true), mapped(rd, d), net + " diffusers as internal");
            assertSameParams(mapped(rd, d), mapped(r, single), net + " single file vs diffusers");
        }
        Set<String> left = new TreeSet<>(single.names());
        left.removeAll(used);
        left.removeIf(k -> k.endsWith("position_ids") || k.endsWith("logit_scale"));
        assertTrue(left.isEmpty(), "single-file keys left over: " + first(left));
    }

    @Test
    void fullSizeSingleFileMapsOntoDiffusersExactly() {
        Path k = keys();
        checkSingleFile(ShapeSource.fromJson(k.resolve("sdxl_single_file_sgm.json")), Map.of(
                Net.UNET, ShapeSource.fromJson(k.resolve("sdxl_unet_diffusers.json")),
                Net.VAE, ShapeSource.fromJson(k.resolve("sdxl_vae_diffusers.json")),
                Net.TEXT_ENCODER, ShapeSource.fromJson(k.resolve("sdxl_text_encoder_hf.json")),
                Net.TEXT_ENCODER_2, ShapeSource.fromJson(k.resolve("sdxl_text_encoder_2_hf.json"))));
    }

    @Test
    void tinySingleFileMapsOntoTheTinyFolder() {
        Path t = tiny();
        ModelLayout folder = ModelLayout.detect(t);
        assertEquals(ModelLayout.Kind.DIFFUSERS_FOLDER, folder.kind());
        assertEquals(Set.of(Net.values()), folder.parts().keySet());
        Map<Net, TensorSource> d = new LinkedHashMap<>();
        try (TensorSource single = TensorSources.open(t.resolve("sdxl_tiny_single_file.safetensors"))) {
            for (Net n : List.of(Net.UNET, Net.VAE, Net.TEXT_ENCODER, Net.TEXT_ENCODER_2)) {
                d.put(n, TensorSources.open(folder.part(n).file()));
            }
            checkSingleFile(single, d);
        } finally {
            d.values().forEach(TensorSource::close);
        }
    }

    /** The transforms (q/k/v split, projection transpose, 1x1 conv squeeze) give the very values of the diffusers files. */
    @Test
    void tinySingleFileValuesEqualTheFolderValues() {
        Path t = tiny();
        ModelLayout folder = ModelLayout.detect(t);
        ModelLayout single = ModelLayout.detect(t.resolve("sdxl_tiny_single_file.safetensors"));
        try (NDManager m = NDManager.newBaseManager();
             TensorSource s = TensorSources.open(single.path())) {
            for (Net net : List.of(Net.VAE, Net.TEXT_ENCODER, Net.TEXT_ENCODER_2, Net.UNET)) {
                try (TensorSource f = TensorSources.open(folder.part(net).file());
                     Weights a = KeyMaps.fill(new Weights(m, DataType.FLOAT32), net, f, folder.part(net));
                     Weights b = KeyMaps.fill(new Weights(m, DataType.FLOAT32), net, s, single.part(net))) {
                    assertEquals(a.names(), b.names(), net.label);
                    for (String n : a.names()) {
                        NDArray x = a.get(n), y = b.get(n);
                        assertEquals(x.getShape(), y.getShape(), n);
                        // the fixture's weights are multiples of 1/512: exact in fp16
                        assertTrue(x.contentEquals(y), net.label + " " + n + " differs");
                    }
                }
            }
        }
    }

    @Test
    void deprecatedVaeAttentionNamesMapOntoTheCurrentOnes() {
        TensorSource vae = ShapeSource.fromJson(keys().resolve("sdxl_vae_diffusers.json"));
        Map<String, long[]> old = new LinkedHashMap<>();
        for (String n : vae.names()) {
            old.put(n.replace(".to_q.", ".query.").replace(".to_k.", ".key.").replace(".to_v.", ".value.")
                    .replace(".to_out.0.", ".proj_attn."), vae.info(n).shape());
        }
        assertTrue(old.keySet().stream().anyMatch(n -> n.contains(".proj_attn.")));
        ShapeSource src = new ShapeSource(vae.path(), old, DType.F16);
        KeyMaps.Result r = KeyMaps.map(Net.VAE, ModelLayout.Naming.DIFFUSERS, src, "");
        assertTrue(r.unused().isEmpty(), first(r.unused()));
        assertSameParams(shapes(vae, false), mapped(r, src), "deprecated VAE names");
    }

    @Test
    void controlNetAndIpAdapterKeysAreAllRecognised() throws Exception {
        Path k = keys();
        TensorSource cn = ShapeSource.fromJson(k.resolve("instantid_controlnet_diffusers.json"));
        KeyMaps.Result r = KeyMaps.map(Net.CONTROLNET, ModelLayout.Naming.DIFFUSERS, cn, "");
        assertTrue(r.unused().isEmpty(), "controlnet: " + first(r.unused()));
        assertEquals(cn.names().size(), r.mappings().size());
        assertEquals(Net.CONTROLNET, ModelLayout.file(cn.path(), cn, null).parts().keySet().iterator().next());
        // IdentityNet's encoder half has the UNet's parameter shapes
        TensorSource unet = ShapeSource.fromJson(k.resolve("sdxl_unet_diffusers.json"));
        for (String n : cn.names()) {
            if (n.startsWith("controlnet_")) continue;
            assertTrue(Arrays.equals(unet.info(n).shape(), cn.info(n).shape()), n);
        }

        TensorSource ip = ShapeSource.fromJson(k.resolve("instantid_ip_adapter_bin.json"));
        KeyMaps.Result ri = KeyMaps.map(Net.IP_ADAPTER, ModelLayout.Naming.IP_ADAPTER, ip, "");
        assertTrue(ri.unused().isEmpty(), "ip-adapter: " + first(ri.unused()));
        // the processor order derived from the UNet's names is the reference order
        List<String> order = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(k.resolve("sdxl_attention_processor_order.json"))).getAsJsonArray()) {
            order.add(e.getAsString().replaceAll("\\.processor$", ""));
        }
        assertEquals(order, KeyMaps.attentionProcessors(unet.names()));
        Map<String, String> targets = KeyMaps.ipAdapterNames(unet.names(), ip,
                n -> unet.has(n) ? unet.info(n).shape() : null);
        long ipAttn = ip.names().stream().filter(n -> n.startsWith("ip_adapter.")).count();
        assertEquals(ipAttn, targets.size());
        assertEquals("down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k_ip.weight",
                targets.get("ip_adapter.1.to_k_ip.weight"));
    }

    @Test
    void tinyIpAdapterFitsTheTinyUnet() {
        Path t = tiny();
        try (TensorSource unet = TensorSources.open(t.resolve("unet/diffusion_pytorch_model.safetensors"));
             TensorSource ip = TensorSources.open(t.resolve("ip-adapter.bin"))) {
            Map<String, String> m = KeyMaps.ipAdapterNames(unet.names(), ip, n -> unet.has(n) ? unet.info(n).shape() : null);
            assertEquals(ip.names().stream().filter(n -> n.startsWith("ip_adapter.")).count(), m.size());
            for (String target : m.values()) assertTrue(target.contains(".attn2.to_"), target);
        }
    }

    @Test
    void loraNamesResolveBothWays() {
        Path k = keys();
        Set<String> unet = ShapeSource.fromJson(k.resolve("sdxl_unet_diffusers.json")).names();
        assertEquals("input_blocks.4.1.proj_in", KeyMaps.sgmModule(unet, "down_blocks.1.attentions.0.proj_in"));
        assertEquals("down_blocks.1.attentions.0.proj_in", KeyMaps.diffusersModule(unet, "input_blocks.4.1.proj_in"));
        assertEquals("output_blocks.2.2.conv", KeyMaps.sgmModule(unet, "up_blocks.0.upsamplers.0.conv"));
        Map<String, String> kohya = KeyMaps.kohyaUnetModules(unet);
        assertEquals("down_blocks.1.attentions.0.proj_in", kohya.get("lora_unet_input_blocks_4_1_proj_in"));
        assertEquals("up_blocks.1.resnets.2.conv1", kohya.get("lora_unet_output_blocks_5_0_in_layers_2"));

        // the lora fixture's kohya file names exactly its listed targets, on the tiny UNet
        Path lora = FixturesTestAccess.requireFixtures().resolve("lora");
        try (TensorSource u = TensorSources.open(tiny().resolve("unet/diffusion_pytorch_model.safetensors"));
             TensorSource kf = TensorSources.open(lora.resolve("lora_kohya_sgm.safetensors"))) {
            Map<String, String> km = KeyMaps.kohyaUnetModules(u.names());
            Set<String> resolved = new TreeSet<>();
            for (String n : kf.names()) {
                String stem = n.substring(0, n.indexOf('.'));
                String mod = km.get(stem);
                assertNotNull(mod, "kohya key " + n + " resolves to no UNet module");
                resolved.add(mod);
            }
            Set<String> targets = new TreeSet<>();
            JsonParser.parseString(readString(lora.resolve("case.json"))).getAsJsonObject()
                    .getAsJsonObject("config").getAsJsonArray("targets").forEach(e -> targets.add(e.getAsString()));
            assertEquals(targets, resolved);
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
