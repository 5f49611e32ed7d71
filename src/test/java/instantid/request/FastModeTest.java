package instantid.request;

import instantid.lora.LoraSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FastModeTest {

    @Test
    void fastModeClampsStepsAndGuidanceAndAddsTheLcmLora(@TempDir Path dir) throws Exception {
        Path lcm = Files.writeString(dir.resolve("pytorch_lora_weights.safetensors"), "x");
        LoraSpec style = new LoraSpec(dir.resolve("style.safetensors"), 0.7);
        FastMode.Sampling typed = new FastMode.Sampling(30, 5, "euler", List.of(style));
        assertSame(typed, FastMode.apply(false, typed, null, "set it"));
        FastMode.Sampling fast = FastMode.apply(true, typed, lcm, "set it");
        assertEquals(new FastMode.Sampling(8, 2, "lcm", List.of(style, new LoraSpec(lcm, 1.0))), fast);
        FastMode.Sampling low = FastMode.apply(true, new FastMode.Sampling(1, 0, "ddim", List.of()), lcm, "set it");
        assertEquals(4, low.steps());
        assertEquals(1.0, low.guidance());
        assertEquals(6, FastMode.apply(true, new FastMode.Sampling(6, 1.5, "euler", List.of()), lcm, "").steps());
    }

    @Test
    void withoutTheLcmLoraFileTheMessageSaysWhereToSetIt(@TempDir Path dir) {
        FastMode.Sampling typed = new FastMode.Sampling(30, 5, "euler", List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FastMode.apply(true, typed, dir.resolve("missing.safetensors"), "set it in Settings"));
        assertTrue(e.getMessage().contains("LCM-LoRA") && e.getMessage().contains("set it in Settings")
                && e.getMessage().contains("missing.safetensors"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FastMode.apply(true, typed, null, "set it"));
    }
}
