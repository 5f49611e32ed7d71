package instantid.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.parity.FixturesTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identity score on generate's outputs (JSON, PNG chunk, CLI line) and the sweep verb, on the
 * tiny models. The tiny random detector finds "faces" in the 64x64 outputs at threshold 0.2 (and
 * none at 0.3), which is what these tests run at.
 */
class SweepVerbTest {

    static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static String stdout(String[] argv) {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(argv), "exit status");
        } finally {
            System.setOut(old);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        System.out.print(s);
        return s;
    }

    @Test
    void generateWritesTheScoreIntoJsonPngAndTheLineAndTheReasonWhenNoFace(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path a = tmp.resolve("a.png");
        String out = stdout(GenerateVerbTest.args(fx, a, "--seed", "7"));
        JsonObject o = JsonParser.parseString(Files.readString(tmp.resolve("a.json"))).getAsJsonObject();
        assertTrue(o.get("identity_score").isJsonPrimitive(), "a number: " + o);
        double s = o.get("identity_score").getAsDouble();
        assertTrue(s >= -1 && s <= 1 && s != 0, "a cosine: " + s);
        assertEquals(s, o.getAsJsonArray("identities").get(0).getAsJsonObject().get("identity_score").getAsDouble());
        assertTrue(out.contains("identity score " + String.format(java.util.Locale.ROOT, "%.3f", s)), out);
        String png = new String(Files.readAllBytes(a), StandardCharsets.ISO_8859_1);
        assertTrue(png.contains("instantid-identity-score") && png.contains("\"identity_score\": " + s), "score in the PNG chunks");
        // the same image again from its settings, scored at a threshold where the tiny detector finds nothing
        Path b = tmp.resolve("b.png");
        String outB = stdout(new String[] {"generate", "--models", fx.resolve("pipeline_sdxl_tiny").toString(), "--face-models",
                fx.resolve("face_analysis").toString(), "--settings", tmp.resolve("a.json").toString(), "--det-thresh", "0.3",
                "--id-map", "--out", b.toString()});
        JsonObject ob = JsonParser.parseString(Files.readString(tmp.resolve("b.json"))).getAsJsonObject();
        assertTrue(ob.get("identity_score").isJsonNull(), "absent, never 0: " + ob.get("identity_score"));
        assertEquals("no face in the output", ob.get("identity_score_reason").getAsString());
        assertTrue(outB.contains("identity score none (no face in the output)"), outB);
        BufferedImage map = ImageIO.read(tmp.resolve("b-idmap.png").toFile());
        assertEquals(64, map.getWidth(), "the ID-attention map has the output's size");
        assertEquals(64, map.getHeight());
    }

    static int[] pixels(BufferedImage b, int x0, int y0, int w, int h) {
        return b.getRGB(x0, y0, w, h, null, 0, w);
    }

    @Test
    void sweepWritesEverySeedAndAMontageInScoreOrder(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path dir = tmp.resolve("sweep");
        String[] base = GenerateVerbTest.args(fx, tmp.resolve("unused.png"));
        List<String> argv = new ArrayList<>(List.of(base));
        int o = argv.indexOf("--out");
        argv.remove(o + 1);
        argv.remove(o);
        argv.set(0, "sweep");
        String out = stdout(with(argv.toArray(new String[0]), "--seed", "20", "--count", "4", "--out-dir", dir.toString()));
        record Seeded(long seed, double score) {
        }
        List<Seeded> seeds = new ArrayList<>();
        for (long s = 20; s < 24; s++) {
            assertTrue(Files.isRegularFile(dir.resolve("seed-" + s + ".png")), "seed " + s + " written");
            JsonObject j = JsonParser.parseString(Files.readString(dir.resolve("seed-" + s + ".json"))).getAsJsonObject();
            assertEquals(s, j.get("seed").getAsLong());
            seeds.add(new Seeded(s, j.get("identity_score").isJsonNull() ? Double.NEGATIVE_INFINITY : j.get("identity_score").getAsDouble()));
        }
        assertEquals(4, seeds.size());
        seeds.sort(Comparator.comparingDouble((Seeded x) -> -x.score()).thenComparingLong(Seeded::seed));
        BufferedImage montage = ImageIO.read(dir.resolve("montage.png").toFile());
        assertEquals(2 * 64, montage.getWidth());
        assertEquals(2 * (64 + Montage.STRIP), montage.getHeight());
        for (int k = 0; k < 4; k++) {
            BufferedImage tile = ImageIO.read(dir.resolve("seed-" + seeds.get(k).seed() + ".png").toFile());
            int x0 = (k % 2) * 64, y0 = (k / 2) * (64 + Montage.STRIP);
            assertTrue(java.util.Arrays.equals(pixels(tile, 0, 0, 64, 64), pixels(montage, x0, y0, 64, 64)),
                    "tile " + k + " is seed " + seeds.get(k).seed() + " (scores " + seeds + ")");
        }
        List<String> ranking = Files.readAllLines(dir.resolve("ranking.csv"));
        assertEquals(5, ranking.size());
        for (int k = 0; k < 4; k++) assertTrue(ranking.get(k + 1).startsWith((k + 1) + "," + seeds.get(k).seed() + ","), ranking.toString());
        JsonObject best = JsonParser.parseString(Files.readString(dir.resolve("best.json"))).getAsJsonObject();
        assertEquals(seeds.get(0).seed(), best.get("seed").getAsLong());
        assertTrue(out.contains("generate --settings " + dir.resolve("best.json")), out);
        assertFalse(Files.exists(tmp.resolve("unused.png")));
    }
}
