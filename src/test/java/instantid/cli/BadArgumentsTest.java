package instantid.cli;

import instantid.parity.FixturesTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad argument or output a user types (issue 21's table, argument and output rows): one
 * clear message naming the option, exit 2, no stack trace, no partial output, the face photo
 * unchanged; the unusual-but-valid rows (a seed of 2^40, a 500-word prompt, emoji and CJK
 * prompts, a missing output folder made, a .jpg output) run and write what they say. Ctrl-C is
 * {@link InterruptTest}; the overwrite policy, formats and permissions are {@link OutputTargetTest}.
 */
class BadArgumentsTest {

    @TempDir
    static Path tmp;

    /** One row: what is typed beside a good command, the exit status, what stderr must name. */
    record Row(String name, Function<Path, String[]> extra, int status, String message, List<String> written) {
        static Row bad(String name, String message, String... extra) {
            return new Row(name, d -> extra, 2, message, List.of());
        }

        /** Valid rows run the pipeline for real, one step (the pixels are not the point here). */
        static Row ok(String name, String... extra) {
            List<String> e = new ArrayList<>(List.of(extra));
            e.addAll(List.of("--steps", "1"));
            return new Row(name, d -> e.toArray(String[]::new), 0, null, List.of("out.png", "out.json"));
        }
    }

    static String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append("word").append(i % 50);
        return sb.toString();
    }

    static List<Row> rows() {
        return List.of(
                Row.bad("size not a multiple of 8", "--size '130x128'", "--size", "130x128"),
                Row.bad("size 0x0", "--size '0x0'", "--size", "0x0"),
                Row.bad("size 100000x100000", "--size '100000x100000'", "--size", "100000x100000"),
                Row.bad("size not WxH", "--size 'big'", "--size", "big"),
                Row.bad("steps 0", "--steps '0' is out of range (1..1000)", "--steps", "0"),
                Row.bad("steps -1", "--steps '-1' is out of range", "--steps", "-1"),
                Row.bad("negative guidance", "--guidance '-1'", "--guidance", "-1"),
                Row.bad("IP scale of 5", "--ip-scale '5' is out of range (0..2)", "--ip-scale", "5"),
                Row.bad("IP scale not a number", "--ip-scale 'abc' expects a number", "--ip-scale", "abc"),
                Row.bad("seed -5", "--seed '-5' is out of range (-1..281474976710655)", "--seed", "-5"),
                Row.bad("seed 2^48", "--seed '281474976710656' is out of range", "--seed", "281474976710656"),
                Row.ok("seed 2^40 with an emoji prompt", "--seed", Long.toString(1L << 40),
                        "--prompt", "a portrait \uD83D\uDE00\uD83C\uDF89 with confetti \uD83C\uDF8A"),
                new Row("500-word prompt", d -> new String[] {"--prompt", words(500), "--prompt-encoding", "plain", "--steps", "1"}, 0, "longer than 77 tokens",
                        List.of("out.png", "out.json")),
                Row.bad("kps with 4 values", "--kps '1,2,3,4': expects 10 numbers", "--kps", "1,2,3,4"),
                Row.bad("kps NaN", "is not a finite number", "--kps", "10,10,20,10,15,15,NaN,20,18,20"),
                Row.bad("kps outside the image", "--kps: keypoint 5 (900.0, 20.0) is outside the 64x64 image",
                        "--kps", "10,10,20,10,15,15,12,20,900,20"),
                Row.bad("num-images 0", "--num-images '0' is out of range (1..64)", "--num-images", "0"),
                Row.bad("unknown flag", "unknown option --no-such-flag for generate", "--no-such-flag", "1"),
                Row.bad("misspelt flag", "did you mean --steps?", "--stesp", "4"),
                Row.bad("unknown sampler", "--sampler 'eulr' is not one of euler, euler_a", "--sampler", "eulr"),
                Row.bad("missing value", "--prompt needs a value (TEXT), got the option --steps instead", "--prompt", "--steps", "2"),
                Row.bad("value missing at the end", "--seed needs a value", "--seed"),
                Row.bad("stray word", "unexpected word 'portrait'", "portrait"),
                Row.bad("option given twice", "--steps is given more than once", "--steps", "3", "--steps", "4"),
                Row.bad("--face missing file", "--face " + Path.of("no/such/face.png") + " does not exist", "--face", "no/such/face.png"),
                new Row("--out whose parent is a file", d -> new String[] {"--out", d.resolve("afile/x.png").toString()}, 2,
                        "is a file, not a folder", List.of("afile")),
                new Row("--out is a folder", d -> new String[] {"--out", d.resolve("adir.png").toString()}, 2,
                        "is a folder; give a file name in it", List.of("adir.png")),
                new Row("--out in a read-only folder", d -> new String[] {"--out", d.resolve("ro/x.png").toString()}, 2,
                        "not writable", List.of("ro")),
                Row.bad("--out with an unknown extension", "end the name with .png, .tif or .jpg", "--out", "x.gif"),
                new Row("existing --out is refused", d -> new String[] {"--out", d.resolve("exists.png").toString()}, 2,
                        "already exists; add --overwrite", List.of("exists.png")),
                new Row("--out in a missing folder is made (CJK prompt)", d -> new String[] {"--out", d.resolve("new/sub/x.jpg").toString(),
                        "--steps", "1", "--prompt", "\u4e00\u4e2a\u7537\u4eba\u7684\u7167\u7247\uff0c\u80f6\u7247\u98ce\u683c"}, 0, null, List.of("new/sub/x.jpg", "new/sub/x.json")),
                Row.bad("settings file that is not JSON", "is not readable JSON", "--settings", "examples/portrait.png"));
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        Path fx = FixturesTest.requireFixtures();
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (Row r : rows()) {
            Path dir = tmp.resolve("row" + i++);
            tests.add(DynamicTest.dynamicTest(r.name(), () -> check(fx, dir, r)));
        }
        return tests.stream();
    }

    static void check(Path fx, Path dir, Row r) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("afile"), "not a folder");
        Files.createDirectories(dir.resolve("adir.png"));
        Files.write(dir.resolve("exists.png"), new byte[] {1, 2, 3});
        Path ro = Files.createDirectories(dir.resolve("ro"));
        ro.toFile().setWritable(false, false);
        if (r.name().contains("read-only")) {
            Assumptions.assumeFalse(Files.isWritable(ro) && probe(ro), "running as root: no folder is read-only here");
        }
        byte[] face = Files.readAllBytes(Path.of("examples/portrait.png"));
        List<String> argv = new ArrayList<>(List.of("generate", "--models", fx.resolve("pipeline_sdxl_tiny").toString(),
                "--face-models", fx.resolve("face_analysis").toString(), "--face", "examples/portrait.png",
                "--prompt", "analog film photo of a man", "--size", "64x64", "--steps", "2", "--det-thresh", "0.2"));
        String[] extra = r.extra().apply(dir);
        if (!Arrays.asList(extra).contains("--out")) argv.addAll(List.of("--out", dir.resolve("out.png").toString()));
        for (String e : extra) {
            if (argv.contains(e) && e.startsWith("--")) {
                int k = argv.indexOf(e); // replace the base value
                argv.remove(k + 1);
                argv.remove(k);
            }
        }
        argv.addAll(Arrays.asList(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status;
        try {
            System.setErr(e);
            status = Main.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), e);
        } finally {
            System.setErr(oldErr);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(r.status(), status, stderr);
        if (r.message() != null) assertTrue(stderr.contains(r.message()), "stderr names the problem: " + r.message() + "\n" + stderr);
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), "no stack trace:\n" + stderr);
        if (r.status() == 2) assertEquals(1, stderr.lines().filter(l -> l.startsWith("error:")).count(), stderr);
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).forEach(files::add);
        }
        List<String> expected = new ArrayList<>(List.of("afile", "adir.png", "exists.png", "ro"));
        for (String w : r.written()) {
            for (Path p = Path.of(w); p != null; p = p.getParent()) if (!expected.contains(p.toString())) expected.add(p.toString());
        }
        assertEquals(expected.stream().sorted().toList(), files.stream().sorted().toList(), "exactly the expected files, no partial ones");
        assertTrue(Arrays.equals(face, Files.readAllBytes(Path.of("examples/portrait.png"))), "the face photo is unchanged");
        if (r.name().equals("existing --out is refused")) {
            assertTrue(Arrays.equals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("exists.png"))), "not overwritten");
        }
        if (r.status() == 0) {
            String json = Files.readString(dir.resolve(r.written().get(1)));
            assertTrue(json.contains("\"identities\""), json);
            Path img = dir.resolve(r.written().get(0));
            assertTrue(javax.imageio.ImageIO.read(img.toFile()) != null, "a readable image: " + img);
            if (r.name().equals("seed 2^40")) assertTrue(json.contains("\"seed\": " + (1L << 40)), json);
        }
        ro.toFile().setWritable(true, false);
    }

    private static boolean probe(Path dir) {
        try {
            Files.delete(Files.createFile(dir.resolve(".probe")));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
