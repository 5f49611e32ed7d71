package instantid.cli;

import instantid.batch.Results;
import instantid.parity.FixturesTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch verb on a 6-row manifest with two shards: each row once, resumable, merged, a changed row re-run. */
class BatchVerbTest {

    static String manifest(String row4Prompt) {
        StringBuilder sb = new StringBuilder("face,prompt,seed,out,ip_scale\n");
        for (int r = 1; r <= 6; r++) {
            String prompt = r == 4 ? row4Prompt : "\"a portrait, row " + r + "\"";
            sb.append("portrait.png,").append(prompt).append(',').append(100 + r).append(",img/row-").append(r).append(',')
                    .append(r == 3 ? "0.5" : "").append('\n');
        }
        return sb.toString();
    }

    static int batch(Path fx, Path csv, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("batch", "--models", fx.resolve("pipeline_sdxl_tiny").toString(), "--face-models",
                fx.resolve("face_analysis").toString(), "--manifest", csv.toString(), "--out-dir", out.toString(),
                "--size", "64x64", "--steps", "2", "--det-thresh", "0.2"));
        a.addAll(List.of(more));
        return Main.run(a.toArray(new String[0]));
    }

    static Map<Integer, Results.Line> table(Path f) throws Exception {
        Map<Integer, Results.Line> m = new HashMap<>();
        for (Results.Line l : Results.read(f)) m.put(l.row(), l);
        return m;
    }

    @Test
    void shardsWriteEveryRowOnceResumeMergeAndRerunAChangedRow(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Files.copy(Path.of("examples/portrait.png"), tmp.resolve("portrait.png"));
        Path csv = tmp.resolve("manifest.csv"), out = tmp.resolve("out");
        Files.writeString(csv, manifest("a portrait of row four"));
        assertEquals(0, batch(fx, csv, out, "--shard", "1/2"));
        assertEquals(0, batch(fx, csv, out, "--shard", "2/2"));
        Map<Integer, Results.Line> s1 = table(out.resolve("results-shard-1-of-2.csv")), s2 = table(out.resolve("results-shard-2-of-2.csv"));
        assertEquals(new TreeSet<>(List.of(1, 3, 5)), new TreeSet<>(s1.keySet()));
        assertEquals(new TreeSet<>(List.of(2, 4, 6)), new TreeSet<>(s2.keySet()));
        Map<Integer, byte[]> first = new HashMap<>();
        for (int r = 1; r <= 6; r++) {
            Results.Line l = (r % 2 == 1 ? s1 : s2).get(r);
            assertEquals("generated", l.status(), l.toString());
            assertTrue(l.score() != null || !l.reason().isEmpty(), "a score or its reason: " + l);
            Path png = out.resolve("img/row-" + r + ".png");
            first.put(r, Files.readAllBytes(png));
            String json = Files.readString(out.resolve("img/row-" + r + ".json"));
            assertTrue(json.contains("\"seed\": " + (100 + r)) && json.contains("\"batch_row\""), json);
        }
        try (var files = Files.walk(out)) {
            assertEquals(6, files.filter(p -> p.toString().endsWith(".png")).count(), "one PNG per row, no more");
        }
        // a second run of both shards skips every row and rewrites nothing
        assertEquals(0, batch(fx, csv, out, "--shard", "1/2"));
        assertEquals(0, batch(fx, csv, out, "--shard", "2/2"));
        for (Path f : List.of(out.resolve("results-shard-1-of-2.csv"), out.resolve("results-shard-2-of-2.csv"))) {
            for (Results.Line l : Results.read(f)) assertEquals("skipped", l.status(), l.toString());
        }
        for (int r = 1; r <= 6; r++) assertArrayEquals(first.get(r), Files.readAllBytes(out.resolve("img/row-" + r + ".png")));
        // merge: one table of 6 rows with the scores
        assertEquals(0, Main.run(new String[] {"batch", "--merge", "--out-dir", out.toString(), "--manifest", csv.toString()}));
        List<Results.Line> merged = Results.read(out.resolve("results.csv"));
        assertEquals(6, merged.size());
        for (int r = 1; r <= 6; r++) assertEquals(r, merged.get(r - 1).row());
        assertEquals(7, Files.readAllLines(out.resolve("results.csv")).size(), "header + 6 rows");
        // row 4 changes: only it is generated again
        Files.writeString(csv, manifest("a different prompt for row four"));
        assertEquals(0, batch(fx, csv, out, "--shard", "2/2"));
        Map<Integer, Results.Line> again = table(out.resolve("results-shard-2-of-2.csv"));
        assertEquals("generated", again.get(4).status());
        assertEquals("skipped", again.get(2).status());
        assertEquals("skipped", again.get(6).status());
        assertFalse(java.util.Arrays.equals(first.get(4), Files.readAllBytes(out.resolve("img/row-4.png"))), "row 4 re-made");
        assertArrayEquals(first.get(2), Files.readAllBytes(out.resolve("img/row-2.png")));
    }

    @Test
    void badManifestsFailBeforeAnyModelLoadsNamingRowAndColumn(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Files.copy(Path.of("examples/portrait.png"), tmp.resolve("portrait.png"));
        Path csv = tmp.resolve("m.csv"), out = tmp.resolve("out");
        Files.writeString(csv, "face,prompt,seed,out,colour\nportrait.png,x,1,a,red\n");
        assertEquals(2, batch(fx, csv, out));
        Files.writeString(csv, "face,prompt,seed,out\nportrait.png,x,-1,a\n");
        assertEquals(2, batch(fx, csv, out));
        Files.writeString(csv, "face,prompt,seed,out\nnobody.png,x,1,a\n");
        assertEquals(2, batch(fx, csv, out));
        assertFalse(Files.exists(out.resolve("a.png")));
    }
}
