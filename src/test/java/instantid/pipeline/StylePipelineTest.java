package instantid.pipeline;

import instantid.parity.Case;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Style and reference generation on the tiny models: SDXL + the tiny IP-Adapter SDXL (style),
 * InstantID + style, and a tiny IP-Adapter Plus (reference) written here in both published file
 * forms. Scale 0 is exactly off, content subtraction at 0 is none, settings reproduce the pixels.
 */
class StylePipelineTest {

    @TempDir
    static Path tmp;

    private static InstantIdPipeline p;
    private static SdxlPipeline sdxl;
    private static float[] pixels;
    private static Path plusSafetensors;
    private static Path plusBin;

    @BeforeAll
    static void load() throws Exception {
        p = TinyModels.instantId();
        sdxl = p.textToImage();
        pixels = photoPixels();
        plusSafetensors = TinyModels.writeTinyPlus(tmp, false);
        plusBin = TinyModels.writeTinyPlus(tmp, true);
    }

    /** The first photo of the clip_vision case, preprocessed: 3 x 56 x 56. */
    static float[] photoPixels() throws java.io.IOException {
        try (Case c = Case.read(TinyModels.fixtures().resolve("clip_vision"))) {
            float[] all = c.floats("pixel_values"); // [3, 3, 56, 56]: two photos and zeros
            return java.util.Arrays.copyOfRange(all, 0, 3 * 56 * 56);
        }
    }

    @AfterAll
    static void close() {
        if (p != null) p.close();
    }

    private static Path tinyAdapter() {
        return TinyModels.fixtures().resolve("ip_adapter_sdxl_tiny/ip-adapter_sdxl_tiny.safetensors");
    }

    private static Path tinyEncoder() {
        return TinyModels.fixtures().resolve("ip_adapter_sdxl_tiny/image_encoder");
    }

    static ImagePrompt style(double scale, String blocks, String content, double contentScale) {
        return style(pixels, scale, blocks, content, contentScale);
    }

    static ImagePrompt style(float[] pixels, double scale, String blocks, String content, double contentScale) {
        return new ImagePrompt(ImagePrompt.STYLE, tinyAdapter(), tinyEncoder(), pixels, 56, 56, scale, blocks, content,
                contentScale, "pose.jpg");
    }

    static ImagePrompt reference(Path adapter, double scale) {
        return new ImagePrompt(ImagePrompt.REFERENCE, adapter, tinyEncoder(), pixels, 56, 56, scale, "all", null, 0, "dog.png");
    }

    private static byte[] txt2img(List<ImagePrompt> prompts) {
        return TinyModels.pixels(sdxl.generate(TinyModels.settings(42), prompts, Progress.NONE));
    }

    @Test
    void styleScaleZeroIsExactlyPlainSdxlAndANonZeroScaleActs() {
        byte[] plain = txt2img(List.of());
        assertArrayEquals(plain, txt2img(List.of(style(0, "all", null, 0))));
        assertTrue(TinyModels.maxDiff(plain, txt2img(List.of(style(1.0, "all", null, 0)))) > 0, "the style did nothing");
    }

    @Test
    void instantIdPlusStyleAtStyleScaleZeroIsPlainInstantId() {
        GenerationSettings g = TinyModels.settings(9);
        InstantIdRequest r = TinyModels.request(g, TinyModels.identity(3, g));
        byte[] plain = TinyModels.pixels(p.generate(r, Progress.NONE));
        assertArrayEquals(plain, TinyModels.pixels(p.generate(r.withImagePrompts(List.of(style(0, "style", null, 0))), Progress.NONE)));
        assertTrue(TinyModels.maxDiff(plain, TinyModels.pixels(p.generate(
                r.withImagePrompts(List.of(style(1.0, "all", null, 0))), Progress.NONE))) > 0);
    }

    @Test
    void contentSubtractionAtScaleZeroIsNone() {
        byte[] none = txt2img(List.of(style(1.0, "all", null, 0)));
        assertArrayEquals(none, txt2img(List.of(style(1.0, "all", "a photo of a woman", 0))));
        assertTrue(TinyModels.maxDiff(none, txt2img(List.of(style(1.0, "all", "a photo of a woman", 2.0)))) > 0,
                "subtracting the content changed nothing");
    }

    @Test
    void settingsReproduceAStyledImageAndAnInstantIdPortraitInAStyle() {
        ImagePrompt s = style(0.9, "style+layout", "a woman", 0.5);
        Result first = sdxl.generate(TinyModels.settings(5), List.of(s), Progress.NONE);
        List<ImagePrompt> back = SettingsJson.readImagePrompts(first.settingsJson());
        assertEquals(1, back.size());
        assertArrayEquals(s.pixels(), back.get(0).pixels());
        ImagePrompt b = back.get(0); // everything but the pixels (compared above) equal
        assertEquals(s, new ImagePrompt(b.use(), b.adapter(), b.imageEncoder(), s.pixels(), b.height(), b.width(), b.scale(),
                b.blocks(), b.contentPrompt(), b.contentScale(), b.source()));
        GenerationSettings g = SettingsJson.readGeneration(com.google.gson.JsonParser.parseString(first.settingsJson()).getAsJsonObject());
        assertArrayEquals(TinyModels.pixels(first), TinyModels.pixels(sdxl.generate(g, back, Progress.NONE)));
        assertTrue(first.settingsJson().length() < 60_000, "settings of " + first.settingsJson().length() + " chars");

        GenerationSettings gi = TinyModels.settings(6);
        InstantIdRequest r = TinyModels.request(gi, TinyModels.identity(4, gi)).withImagePrompts(List.of(s));
        Result ri = p.generate(r, Progress.NONE);
        InstantIdRequest rb = SettingsJson.readInstantId(ri.settingsJson());
        assertEquals(1, rb.imagePrompts().size());
        assertArrayEquals(TinyModels.pixels(ri), TinyModels.pixels(p.generate(rb, Progress.NONE)));
    }

    @Test
    void referenceObjectWithIpAdapterPlusFromSafetensorsAndBin() {
        byte[] plain = txt2img(List.of());
        byte[] st = txt2img(List.of(reference(plusSafetensors, 1.0)));
        assertTrue(TinyModels.maxDiff(plain, st) > 0, "the reference did nothing");
        assertArrayEquals(st, txt2img(List.of(reference(plusBin, 1.0))), ".bin and .safetensors of one adapter differ");
        assertArrayEquals(plain, txt2img(List.of(reference(plusBin, 0))));
        ImagePrompt withContent = new ImagePrompt(ImagePrompt.REFERENCE, plusBin, tinyEncoder(), pixels, 56, 56, 1.0, "all",
                "a dog", 0.5, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> txt2img(List.of(withContent)));
        assertTrue(e.getMessage().contains("plain IP-Adapter"), e.getMessage());
    }

    @Test
    void styleAndReferenceAtOnce() {
        byte[] s = txt2img(List.of(style(0.8, "style", null, 0)));
        byte[] both = txt2img(List.of(style(0.8, "style", null, 0), reference(plusSafetensors, 0.6)));
        assertTrue(TinyModels.maxDiff(s, both) > 0);
    }

    @Test
    void badInputIsNamedBeforeAnyModelRuns() {
        assertThrows(IllegalArgumentException.class, () -> style(-1, "all", null, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> style(1, "sideways", null, 0));
        assertTrue(e.getMessage().contains("style, style+layout"), e.getMessage());
        ImagePrompt wrongSize = new ImagePrompt("style", tinyAdapter(), tinyEncoder(), new float[3 * 8 * 8], 8, 8, 1, "all",
                null, 0, "");
        e = assertThrows(IllegalArgumentException.class, () -> txt2img(List.of(wrongSize)));
        assertTrue(e.getMessage().contains("56x56"), e.getMessage());
    }
}
