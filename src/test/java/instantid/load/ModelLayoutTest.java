package instantid.load;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.RawSafetensors;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.io.WeightFileException;
import instantid.load.ModelLayout.Net;
import instantid.parity.FixturesTestAccess;
import instantid.tensor.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layout detection, and files of the wrong kind named in the error. */
class ModelLayoutTest {

    @TempDir
    Path tmp;

    private static Path tiny() {
        return FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny");
    }

    private static void assertMessage(WeightFileException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void detectsTheTinyFolderAndItsParts() {
        ModelLayout l = ModelLayout.detect(tiny());
        assertEquals(ModelLayout.Kind.DIFFUSERS_FOLDER, l.kind());
        assertEquals(ModelLayout.Naming.HF_CLIP, l.part(Net.TEXT_ENCODER_2).naming());
        assertNotNull(l.part(Net.UNET).config());
        assertNotNull(l.tokenizer(1));
        assertNotNull(l.tokenizer(2));
        ModelLayout cn = ModelLayout.detect(tiny().resolve("ControlNetModel"), Net.CONTROLNET);
        assertEquals(ModelLayout.Kind.COMPONENT, cn.kind());
        assertNotNull(cn.part(Net.CONTROLNET).config());
        ModelLayout sf = ModelLayout.detect(tiny().resolve("sdxl_tiny_single_file.safetensors"), Net.UNET);
        assertEquals(ModelLayout.Kind.SGM_SINGLE_FILE, sf.kind());
        assertEquals("model.diffusion_model.", sf.part(Net.UNET).prefix());
        ModelLayout ip = ModelLayout.detect(tiny().resolve("ip-adapter.bin"), Net.IP_ADAPTER);
        assertEquals(ModelLayout.Naming.IP_ADAPTER, ip.part(Net.IP_ADAPTER).naming());
    }

    @Test
    void vaeGivenAsUnetIsNamed() {
        Path vae = tiny().resolve("vae/diffusion_pytorch_model.safetensors");
        WeightFileException e = assertThrows(WeightFileException.class, () -> ModelLayout.detect(vae, Net.UNET));
        assertMessage(e, vae.toString(), "VAE", "not a UNet");
        e = assertThrows(WeightFileException.class, () -> ModelLayout.detect(tiny().resolve("vae"), Net.UNET));
        assertMessage(e, "VAE", "not a UNet");
    }

    @Test
    void otherWrongKindsAreNamed() {
        Path ip = tiny().resolve("ip-adapter.bin");
        assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.detect(ip, Net.UNET)), "ip-adapter", "not a UNet");
        Path unet = tiny().resolve("unet");
        assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.detect(unet, Net.CONTROLNET)), "UNet", "not a ControlNet");
        Path te1 = tiny().resolve("text_encoder");
        assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.detect(te1, Net.VAE)), "text encoder", "not a VAE");
        Path onnx = FixturesTestAccess.requireFixtures().resolve("face_analysis/det_tiny.onnx");
        assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.detect(onnx, Net.UNET)), "ONNX");
    }

    @Test
    void sd15CheckpointGivenAsSdxlIsNamed() throws Exception {
        Path f = RawSafetensors.zeros(tmp.resolve("v1-5-pruned.safetensors"),
                "model.diffusion_model.input_blocks.0.0.weight", "[4,4,3,3]",
                "model.diffusion_model.output_blocks.0.0.in_layers.0.weight", "[4]",
                "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", "[8,768]",
                "first_stage_model.encoder.conv_in.weight", "[4,3,3,3]");
        WeightFileException e = assertThrows(WeightFileException.class, () -> ModelLayout.detect(f, Net.UNET));
        assertMessage(e, f.toString(), "SD 1.x", "SDXL");
        // a single file without the SDXL text encoders is not taken for SDXL either
        Path g = RawSafetensors.zeros(tmp.resolve("odd.safetensors"),
                "model.diffusion_model.input_blocks.0.0.weight", "[4,4,3,3]");
        assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.detect(g)), "not an SDXL base model");
        Path lora = RawSafetensors.zeros(tmp.resolve("style.safetensors"),
                "lora_unet_input_blocks_4_1_proj_in.lora_down.weight", "[4,8]");
        assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.detect(lora, Net.UNET)), "LoRA");
    }

    @Test
    void fillRefusesKeysItCannotExplain() {
        Path vae = tiny().resolve("vae/diffusion_pytorch_model.safetensors");
        ModelLayout.Part asUnet = new ModelLayout.Part(Net.UNET, vae, "", ModelLayout.Naming.DIFFUSERS, null);
        try (NDManager m = NDManager.newBaseManager();
             TensorSource src = TensorSources.open(vae);
             Weights w = new Weights(m, DataType.FLOAT32)) {
            WeightFileException e = assertThrows(WeightFileException.class, () -> KeyMaps.fill(w, Net.UNET, src, asUnet));
            assertMessage(e, vae.toString(), "not UNet parameters");
            assertMessage(assertThrows(WeightFileException.class, () -> ModelLayout.expect(src, asUnet)), "VAE", "not a UNet");
        }
    }
}
