package instantid.cli;

import instantid.parity.FixturesTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, headless: the generate verb on the tiny fixture models. */
class GenerateVerbTest {

    static String[] args(Path fx, Path out, String... more) {
        String[] base = {"generate", "--models", fx.resolve("pipeline_sdxl_tiny").toString(),
                "--face-models", fx.resolve("face_analysis").toString(), "--face", "examples/portrait.png",
                "--prompt", "analog film photo of a man", "--size", "64x64", "--steps", "2", "--det-thresh", "0.2",
                "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void writesPngAndSettingsAndTheSameSeedGivesTheSamePixels(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path a = tmp.resolve("a.png"), b = tmp.resolve("b.png"), c = tmp.resolve("c.png");
        assertEquals(0, Main.run(args(fx, a, "--seed", "7")));
        assertEquals(0, Main.run(args(fx, b, "--seed", "7")));
        assertEquals(0, Main.run(args(fx, c, "--seed", "8")));
        byte[] pa = Files.readAllBytes(a);
        assertArrayEquals(pixels(a), pixels(b), "same seed, same device: same pixels");
        assertEquals(settings(a), settings(b), "and the same settings and identity score");
        assertFalse(java.util.Arrays.equals(pixels(a), pixels(c)), "another seed: another image");
        String json = Files.readString(tmp.resolve("a.json"));
        assertTrue(json.contains("\"seed\": 7") && json.contains("\"identities\""), json);
        assertTrue(new String(pa, StandardCharsets.ISO_8859_1).contains("instantid-settings"), "settings in the PNG");
        // reproducing from the settings file gives the same pixels (and, scored the same way, the same file)
        Path r = tmp.resolve("r.png");
        assertEquals(0, Main.run(new String[] {"generate", "--models", fx.resolve("pipeline_sdxl_tiny").toString(),
                "--face-models", fx.resolve("face_analysis").toString(), "--det-thresh", "0.2",
                "--settings", tmp.resolve("a.json").toString(), "--out", r.toString()}));
        assertArrayEquals(pixels(a), pixels(r));
        assertEquals(settings(a), settings(r));
    }

    static int[] pixels(Path png) throws java.io.IOException {
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(png.toFile());
        return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
    }

    /** The settings beside an image without "memory", whose reason quotes the free memory of the moment. */
    static com.google.gson.JsonObject settings(Path png) throws java.io.IOException {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(
                Files.readString(png.resolveSibling(png.getFileName().toString().replace(".png", ".json")))).getAsJsonObject();
        o.remove("memory");
        return o;
    }

    @Test
    void badInputFailsBeforeAnythingLoadsAndWritesNothing(@TempDir Path tmp) {
        Path fx = FixturesTest.requireFixtures();
        Path out = tmp.resolve("bad.png");
        assertEquals(2, Main.run(args(fx, out, "--size", "130x128")));
        assertEquals(2, Main.run(args(fx, out, "--steps", "0")));
        assertEquals(2, Main.run(args(fx, out, "--ip-scale", "abc")));
        assertEquals(2, Main.run(args(fx, out, "--no-such-flag", "1")));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("bad.json")));
    }

    @Test
    void styleTemplatePromptEncodingAndEnhanceOptionsReachTheSettings(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path a = tmp.resolve("a.png");
        assertEquals(0, Main.run(args(fx, a, "--seed", "3", "--style-template", "Watercolor",
                "--negative-prompt", "(blurry:1.3)", "--no-enhance-face-region", "--prompt-encoding", "plain")));
        String json = Files.readString(tmp.resolve("a.json"));
        assertTrue(json.contains("\"prompt\": \"watercolor painting, analog film photo of a man. vibrant,"), json);
        assertTrue(json.contains("anime, photorealistic, 35mm film, deformed, glitch, low contrast, noisy (blurry:1.3)\""), json);
        assertTrue(json.contains("\"enhance_face_region\": false") && json.contains("\"prompt_encoding\": \"plain\""), json);
        assertTrue(json.contains("\"face_box\""), json);
        // the defaults: the app's encoder and enhance on
        Path b = tmp.resolve("b.png");
        assertEquals(0, Main.run(args(fx, b, "--seed", "3")));
        String jb = Files.readString(tmp.resolve("b.json"));
        assertTrue(jb.contains("\"enhance_face_region\": true") && jb.contains("\"prompt_encoding\": \"lpw\""), jb);
        // an unknown style is an error naming the valid ones, before anything loads
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run(args(fx, tmp.resolve("c.png"), "--style-template", "Pastel")));
        } finally {
            System.setErr(old);
        }
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("Pastel") && msg.contains("Film Noir") && msg.contains("(No style)"), msg);
        assertFalse(Files.exists(tmp.resolve("c.png")));
    }
}
