package instantid.cli;

import instantid.parity.FixturesTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad file or image a user gives {@code generate}, table-driven: each row replaces one input
 * of a working run on the tiny fixture models by a bad one, and must give exit code 2 with one
 * clear message that names the file / image (and says what to do), no stack trace, no output file,
 * and the bad input unchanged on disk. (Bad arguments and output paths have their own test.)
 */
class BadFilesTest {

    @TempDir
    static Path tmp;
    static Path fx;
    static Path models;
    static Path faces;
    static Path portrait;

    /** One row: what is wrong, the input it replaces (flag → bad path), the text the message must contain. */
    record Row(String what, String flag, Path bad, String mentions, String... extra) {
    }

    @BeforeAll
    static void fixtures() {
        fx = FixturesTest.requireFixtures();
        models = fx.resolve("pipeline_sdxl_tiny");
        faces = fx.resolve("face_analysis");
        portrait = Path.of("examples/portrait.png").toAbsolutePath();
    }

    /** A copy of the tiny model folder made of links, with {@code relative} replaced by {@code content} (null: a folder). */
    static Path modelsWith(String name, String relative, byte[] content) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        link(models, dir, relative);
        Path f = dir.resolve(relative);
        Files.deleteIfExists(f);
        if (content == null) Files.createDirectories(f);
        else Files.write(f, content);
        return dir;
    }

    /** Links every entry of {@code src} into {@code dst}, recursing into folders on the way to {@code keep}. */
    private static void link(Path src, Path dst, String keep) throws IOException {
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : s.toList()) {
                Path d = dst.resolve(p.getFileName().toString());
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && keep.startsWith(name + "/")) {
                    Files.createDirectories(d);
                    link(p, d, keep.substring(name.length() + 1));
                } else {
                    Files.createSymbolicLink(d, p);
                }
            }
        }
    }

    static Path faceModels(String name, byte[] det, byte[] rec) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve("det_tiny.onnx"), det);
        Files.write(dir.resolve("rec_tiny.onnx"), rec);
        return dir;
    }

    static Path image(String name, int w, int h) throws IOException {
        Path f = tmp.resolve(name);
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", f.toFile());
        return f;
    }

    List<Row> rows() throws IOException {
        byte[] unet = Files.readAllBytes(models.resolve("unet/diffusion_pytorch_model.safetensors"));
        byte[] truncated = java.util.Arrays.copyOf(unet, unet.length / 2);
        byte[] lying = unet.clone();
        // the header claims 2^40 bytes of header: a lie about the file's own layout
        java.nio.ByteBuffer.wrap(lying).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        byte[] det = Files.readAllBytes(faces.resolve("det_tiny.onnx"));
        byte[] rec = Files.readAllBytes(faces.resolve("rec_tiny.onnx"));
        byte[] controlnet = Files.readAllBytes(models.resolve("ControlNetModel/diffusion_pytorch_model.safetensors"));
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "this is a text file, not an image");
        String unetFile = "unet/diffusion_pytorch_model.safetensors";
        List<Row> r = new ArrayList<>();
        r.add(new Row("truncated safetensors", "--models", modelsWith("trunc", unetFile, truncated), unetFile));
        r.add(new Row("lying safetensors header", "--models", modelsWith("lying", unetFile, lying), unetFile));
        r.add(new Row("empty safetensors", "--models", modelsWith("empty", unetFile, new byte[0]), unetFile));
        r.add(new Row("a folder for a weight file", "--models", modelsWith("dirfile", unetFile, null), unetFile));
        r.add(new Row("a ControlNet where the UNet is expected", "--models", modelsWith("cn", unetFile, controlnet), "unet"));
        r.add(new Row("the wrong model folder", "--models", faces, faces.toString()));
        r.add(new Row("recogniser as detector and detector as recogniser", "--face-models", faceModels("swapped", rec, det), "det_tiny.onnx"));
        r.add(new Row("a text file renamed .onnx", "--face-models",
                faceModels("textonnx", "not a model".getBytes(StandardCharsets.UTF_8), rec), "det_tiny.onnx"));
        r.add(new Row("a non-image", "--face", text, text.toString()));
        r.add(new Row("a missing image", "--face", tmp.resolve("missing.png"), "missing.png"));
        r.add(new Row("a folder for an image", "--face", tmp, tmp.toString()));
        r.add(new Row("a 1x1 image", "--face", image("one.png", 1, 1), "one.png"));
        r.add(new Row("a 9000x9000 image", "--face", image("huge.png", 9000, 9000), "huge.png"));
        // the tiny fixture detector has random weights: at 0.2 it "finds" faces in anything, at 0.9 in nothing
        r.add(new Row("no face", "--face", image("blank.png", 256, 256), "blank.png", "--det-thresh", "0.9"));
        return r;
    }

    static String[] args(String flag, Path bad, Path out, String... extra) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("--models", models.toString());
        a.put("--face-models", faces.toString());
        a.put("--face", portrait.toString());
        a.put(flag, bad.toString());
        List<String> l = new ArrayList<>(List.of("generate"));
        a.forEach((k, v) -> {
            l.add(k);
            l.add(v);
        });
        l.addAll(List.of("--prompt", "a photo", "--size", "64x64", "--steps", "1", "--out", out.toString()));
        // the row's own threshold, else a low one (the tiny detector's random weights)
        l.addAll(List.of(extra).contains("--det-thresh") ? List.of() : List.of("--det-thresh", "0.2"));
        l.addAll(List.of(extra));
        return l.toArray(new String[0]);
    }

    @Test
    void everyBadFileGivesOneClearMessageAndExit2() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Row row : rows()) {
            Path out = tmp.resolve("out-" + row.what().replaceAll("[^a-z0-9]+", "_") + ".png");
            String before = digest(row.bad());
            String[] result = run(args(row.flag(), row.bad(), out, row.extra()));
            int code = Integer.parseInt(result[0]);
            String err = result[1];
            String why = code != 2 ? "exit " + code
                    : err.contains("\tat ") || err.contains("Exception in thread") ? "a stack trace"
                    : !err.contains(row.mentions()) ? "no mention of '" + row.mentions() + "'"
                    : Files.exists(out) || Files.exists(out.resolveSibling(out.getFileName().toString().replace(".png", ".json")))
                    ? "an output file was written"
                    : !before.equals(digest(row.bad())) ? "the input changed" : null;
            if (why != null) failures.add(row.what() + ": " + why + "\n    " + err.trim().replace("\n", "\n    "));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void manyFacesUseTheLargestAndSaySo() throws Exception {
        BufferedImage one = ImageIO.read(portrait.toFile());
        BufferedImage two = new BufferedImage(one.getWidth() * 2, one.getHeight(), BufferedImage.TYPE_INT_RGB);
        two.getGraphics().drawImage(one, 0, 0, null);
        two.getGraphics().drawImage(one, one.getWidth(), 0, one.getWidth() / 2, one.getHeight() / 2, null);
        Path f = tmp.resolve("two_faces.png");
        ImageIO.write(two, "png", f.toFile());
        Path out = tmp.resolve("many.png");
        String[] r = run(args("--face", f, out));
        String all = r[1] + r[2];
        assertEquals("0", r[0], all);
        assertTrue(all.contains("faces found in image") && all.contains("two_faces.png") && all.contains("largest"), all);
        assertTrue(Files.exists(out));
    }

    /** {exit code, stderr, stdout}. */
    static String[] run(String[] argv) {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(argv);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8)};
    }

    static String digest(Path p) throws Exception {
        if (!Files.isRegularFile(p)) return Files.exists(p) ? "folder" : "absent";
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
