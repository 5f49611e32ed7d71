package instantid.cli;

import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.SettingsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --settings FILE} + typed options = those settings with the typed options in their place. */
class SettingsOverrideTest {

    static Path settings(Path dir) throws Exception {
        float[] emb = new float[512];
        emb[3] = 1;
        float[] kps = {10, 10, 30, 10, 20, 20, 12, 30, 28, 30};
        GenerationSettings g = new GenerationSettings("old prompt", "old negative", 12, 3.5, 512, 768, 77, "ddim", 1, List.of());
        InstantIdRequest r = new InstantIdRequest(g, List.of(new Identity(emb, kps, 0.6, 0.7)), 0.1, 0.9,
                Map.of("up_blocks.0.attentions.1", 1.0, "*", 0.0));
        Path f = dir.resolve("s.json");
        Files.writeString(f, SettingsJson.toJson(SettingsJson.of(r, 77)));
        return f;
    }

    static InstantIdRequest read(Path f, String... typed) {
        String[] argv = new String[typed.length + 2];
        argv[0] = "--settings";
        argv[1] = f.toString();
        System.arraycopy(typed, 0, argv, 2, typed.length);
        Args a = GenerateVerb.OPTIONS.parse(argv);
        InstantIdRequest r = SettingsFile.instantId(a.path("settings"));
        return GenerateVerb.override(a, r, CliModels.generation(a, r.generation()));
    }

    @Test
    void withoutTypedOptionsTheSettingsAreReproducedExactly(@TempDir Path tmp) throws Exception {
        Path f = settings(tmp);
        InstantIdRequest r = read(f);
        GenerationSettings g = r.generation();
        assertEquals(List.of("old prompt", "old negative", 12, 3.5, 512, 768, 77L, "ddim"),
                List.of(g.prompt(), g.negativePrompt(), g.steps(), g.guidance(), g.width(), g.height(), g.seed(), g.sampler()));
        assertEquals(0.6, r.identities().get(0).ipScale(), 1e-9);
        assertEquals(0.1, r.controlStart(), 1e-9);
        assertEquals(0.0, r.ipBlockScales().get("*"), 1e-9);
    }

    @Test
    void typedOptionsOverrideTheirValuesAndOnlyThose(@TempDir Path tmp) throws Exception {
        Path f = settings(tmp);
        InstantIdRequest r = read(f, "--prompt", "new prompt", "--steps", "7", "--size", "256x320", "--seed", "5",
                "--sampler", "euler_a", "--ip-scale", "0.3", "--identitynet-end", "0.5", "--ip-blocks", "all",
                "--kps", "1,1,2,1,1.5,1.5,1,2,2,2", "--num-images", "2");
        GenerationSettings g = r.generation();
        assertEquals(List.of("new prompt", "old negative", 7, 3.5, 256, 320, 5L, "euler_a", 2),
                List.of(g.prompt(), g.negativePrompt(), g.steps(), g.guidance(), g.width(), g.height(), g.seed(), g.sampler(),
                        g.numImages()));
        Identity id = r.identities().get(0);
        assertEquals(0.3, id.ipScale(), 1e-9);
        assertEquals(0.7, id.identityNetScale(), 1e-9, "not typed: from the settings");
        assertArrayEquals(new float[] {1, 1, 2, 1, 1.5f, 1.5f, 1, 2, 2, 2}, id.kps());
        assertEquals(1f, id.embedding()[3], "the embedding always comes from the settings");
        assertEquals(0.1, r.controlStart(), 1e-9);
        assertEquals(0.5, r.controlEnd(), 1e-9);
        assertTrue(r.ipBlockScales().isEmpty());
        // the negative prompt can be removed only by typing it: an explicit empty one is kept as ""
        assertEquals("", read(f, "--negative-prompt=").generation().negativePrompt());
        assertNull(new GenerationSettings("p", null, 1, 1, 64, 64, 1, "euler", 1, List.of()).negativePrompt());
    }

    @Test
    void aBrokenSettingsFileGetsOneClearMessage(@TempDir Path tmp) throws Exception {
        Path notJson = Files.writeString(tmp.resolve("a.json"), "this is not json {");
        assertTrue(assertThrows(UsageException.class, () -> SettingsFile.instantId(notJson)).getMessage().contains("is not readable JSON"));
        Path lacks = Files.writeString(tmp.resolve("b.json"), "{\"prompt\": \"p\", \"steps\": 3}");
        String m = assertThrows(UsageException.class, () -> SettingsFile.instantId(lacks)).getMessage();
        assertTrue(m.contains("lacks guidance, width, height, seed, sampler"), m);
        Path txt2img = Files.writeString(tmp.resolve("c.json"), "{\"prompt\": \"p\", \"steps\": 3, \"guidance\": 5, \"width\": 64,"
                + " \"height\": 64, \"seed\": 1, \"sampler\": \"euler\", \"identitynet_start\": 0, \"identitynet_end\": 1, \"identities\": []}");
        assertTrue(assertThrows(UsageException.class, () -> SettingsFile.instantId(txt2img)).getMessage().contains("non-empty list"));
        Path wrongType = Files.writeString(tmp.resolve("d.json"), "{\"prompt\": \"p\", \"steps\": \"many\", \"guidance\": 5, "
                + "\"width\": 64, \"height\": 64, \"seed\": 1, \"sampler\": \"euler\"}");
        assertTrue(assertThrows(UsageException.class, () -> SettingsFile.generation(wrongType)).getMessage().contains("wrong type"));
        Path array = Files.writeString(tmp.resolve("e.json"), "[1, 2]");
        assertTrue(assertThrows(UsageException.class, () -> SettingsFile.generation(array)).getMessage().contains("not a settings object"));
        assertTrue(assertThrows(UsageException.class, () -> SettingsFile.generation(tmp.resolve("none.json"))).getMessage().contains("does not exist"));
    }

    @Test
    void optionsThatNeedAFacePhotoConflictWithSettings(@TempDir Path tmp) throws Exception {
        Path f = settings(tmp);
        assertEquals(2, Main.run(new String[] {"generate", "--settings", f.toString(), "--face", "examples/portrait.png",
                "--models", tmp.toString(), "--out", tmp.resolve("x.png").toString()}));
        assertTrue(Files.notExists(tmp.resolve("x.png")));
    }
}
