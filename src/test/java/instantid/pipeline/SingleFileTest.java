package instantid.pipeline;

import instantid.lora.LoraSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-file checkpoint (SGM names, fp16) and the diffusers folder give the same image:
 * within 2 grey levels, the rounding of fp16 weights (the tiny fixture's weights are multiples of
 * 1/512, exact in fp16, so here they agree exactly — the bound is for real checkpoints).
 */
class SingleFileTest {

    @Test
    void sdxlFromTheSingleFileEqualsTheFolder() {
        GenerationSettings g = TinyModels.settings(41);
        byte[] folder, single;
        try (SdxlPipeline p = TinyModels.sdxl(TinyModels.folder())) {
            folder = TinyModels.pixels(p.generate(g, Progress.NONE));
        }
        try (SdxlPipeline p = TinyModels.sdxl(TinyModels.singleFile())) {
            single = TinyModels.pixels(p.generate(g, Progress.NONE));
        }
        assertTrue(TinyModels.maxDiff(folder, single) <= 2, "max diff " + TinyModels.maxDiff(folder, single));
    }

    @Test
    void instantIdFromTheSingleFileEqualsTheFolder() {
        GenerationSettings g = TinyModels.settings(42);
        Identity id = TinyModels.identity(8, g);
        byte[] folder, single;
        try (InstantIdPipeline p = TinyModels.instantId(TinyModels.folder())) {
            folder = TinyModels.pixels(p.generate(TinyModels.request(g, id), Progress.NONE));
        }
        try (InstantIdPipeline p = TinyModels.instantId(TinyModels.singleFile())) {
            single = TinyModels.pixels(p.generate(TinyModels.request(g, id), Progress.NONE));
        }
        assertTrue(TinyModels.maxDiff(folder, single) <= 2, "max diff " + TinyModels.maxDiff(folder, single));
    }

    @Test
    void sizesThatAreNotMultiplesOfEightAreRejectedBeforeAnythingLoads() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinyModels.settings(1).withSize(130, 128));
        assertTrue(e.getMessage().contains("130x128"), e.getMessage());
    }

    @Test
    void aLongPlainPromptWarnsHowManyTokensWereDroppedAndTheAppsEncoderDropsNone() {
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < 100; i++) prompt.append("word ");
        GenerationSettings g = new GenerationSettings(prompt.toString(), null, 1, 5, 64, 64, 1, "euler", 1, List.of(),
                PromptEncoder.PLAIN);
        List<String> said = new java.util.ArrayList<>();
        Progress listen = new Progress() {
            @Override
            public void status(String message) {
                said.add(message);
            }
        };
        try (SdxlPipeline p = TinyModels.sdxl(TinyModels.folder())) {
            p.generate(g, listen);
            assertTrue(said.stream().anyMatch(s -> s.contains("25 tokens") && s.contains("dropped")), said.toString());
            said.clear();
            p.generate(g.withPromptEncoder(PromptEncoder.LPW), listen);
            assertTrue(said.stream().noneMatch(s -> s.contains("dropped")), said.toString());
        }
    }

    @Test
    void aLoraChangesTheImageOnlyForItsRun() throws Exception {
        var lora = TinyModels.fixtures().resolve("lora/lora_peft.safetensors");
        assertTrue(Files.isRegularFile(lora));
        GenerationSettings g = TinyModels.settings(43);
        GenerationSettings withLora = new GenerationSettings(g.prompt(), g.negativePrompt(), g.steps(), g.guidance(),
                g.width(), g.height(), g.seed(), g.sampler(), 1, List.of(new LoraSpec(lora, 1.0)));
        try (SdxlPipeline p = TinyModels.sdxl(TinyModels.folder())) {
            byte[] before = TinyModels.pixels(p.generate(g, Progress.NONE));
            byte[] with = TinyModels.pixels(p.generate(withLora, Progress.NONE));
            byte[] after = TinyModels.pixels(p.generate(g, Progress.NONE));
            assertTrue(TinyModels.maxDiff(before, with) > 0, "the LoRA changed nothing");
            assertArrayEquals(before, after, "the models were not restored after the LoRA run");
        }
        assertEquals(0, 0);
    }
}
