package instantid.dist;

import static org.junit.jupiter.api.Assertions.*;

import instantid.io.Safetensors;
import instantid.parity.FixturesTest;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ImageJ 1 — Debian's {@code imagej} package (ij.jar 1.53t) — with the ImageJ 1 zip
 * unpacked into its folder, under a virtual display (Xvfb, started here when no DISPLAY is set):
 * the Plugins › InstantID menu, every command run by macro options on the tiny fixture models,
 * Generate from Face through its dialog with the Recorder on, the recorded line replayed in the
 * window and in {@code -batch} mode (same pixels), the shipped macros unmodified in both modes, an
 * error as a plain dialog (window) and as a log line without a dialog ({@code -batch}). ImageJ gets
 * a home, prefs and plugin folder of its own under a temp folder. Skipped with the reason where
 * ImageJ 1 or a display is missing ({@code .ci/run} installs both).
 */
class ImageJ1InstallTest {

    static final Path IJ_JAR = Path.of(System.getProperty("instantid.ij1.jar", "/usr/share/java/ij.jar"));

    @TempDir
    Path tmp;

    @Test
    void theZipInAPlainImageJ1GivesMenusDialogsRecorderAndReplay() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(IJ_JAR), "ImageJ 1 is not installed (" + IJ_JAR
                + "): apt-get install imagej xvfb, or -Dinstantid.ij1.jar=/path/ij.jar");
        Path cpFile = Path.of("target/runtime-classpath.txt"), provided = Path.of("target/provided-classpath.txt");
        Assumptions.assumeTrue(Files.isRegularFile(cpFile) && Files.isRegularFile(provided), "run through Maven (class path files)");
        Path fx = FixturesTest.requireFixtures().toAbsolutePath();
        try (VirtualDisplay display = VirtualDisplay.open()) {
            Assumptions.assumeTrue(display != null, "no display: set DISPLAY or install Xvfb (apt-get install xvfb)");
            Path ijHome = install(cpFile, provided);
            writePortrait(fx, tmp.resolve("portrait.png"));
            Files.createDirectories(tmp.resolve("batch-in"));
            Files.copy(tmp.resolve("portrait.png"), tmp.resolve("batch-in/portrait.png")); // same title as the user's image
            Files.copy(tmp.resolve("portrait.png"), tmp.resolve("batch-in/b.png"));

            // 1. the ImageJ window, driven by ImageJ1Driver
            String log = imagej(display, ijHome, fx, List.of("-run", "InstantID Test Driver"), "window", 1500);
            Properties r = new Properties();
            Path results = tmp.resolve("results.properties");
            assertTrue(Files.isRegularFile(results), "the driver wrote no results; ImageJ said:\n" + log);
            try (var in = Files.newBufferedReader(results)) {
                r.load(in);
            }
            copyScreenshots();
            assertNull(r.getProperty("fatal"), r.getProperty("fatal"));
            List<String> errors = new ArrayList<>();
            for (String k : r.stringPropertyNames()) if (k.endsWith(".error") && !k.startsWith("screenshot.")) errors.add(k + ": " + r.getProperty(k));
            assertTrue(errors.isEmpty(), String.join("\n", errors) + "\nImageJ said:\n" + log);

            // the menu: every plugins.config entry once, in order, run by the one IJ1 plug-in
            List<String> want = new ArrayList<>();
            String config = new String(ImageJ1InstallTest.class.getResourceAsStream("/plugins.config").readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?m)^Plugins>InstantID,\\s*\"([^\"]+)\"").matcher(config);
            while (m.find()) want.add(m.group(1));
            assertEquals(String.join("|", want), r.getProperty("menu.instantid"), "Plugins>InstantID as plugins.config lists it");
            assertEquals(1, count(r.getProperty("menu.plugins"), "InstantID"), "one InstantID submenu: " + r.getProperty("menu.plugins"));
            for (String l : want) {
                if (!l.equals("-")) assertTrue(r.getProperty("command." + l).startsWith("instantid.fiji.InstantIdPlugIn(\""), l);
            }
            // commands by macro options
            assertTrue(Integer.parseInt(r.getProperty("detect.roiManager")) >= 2, "faces in the ROI Manager");
            assertTrue(Integer.parseInt(r.getProperty("detect.overlay")) >= 2, "an overlay");
            assertEquals(1.0, Double.parseDouble(r.getProperty("similarity.self")), 1e-4);
            // the dialog, the Recorder, the remembered values
            String recorded = r.getProperty("recorded");
            assertTrue(recorded.startsWith("run(\"Generate from Face...\", \""), recorded);
            for (String key : new String[] {"prompt=[analog film photo of a person, 35mm]", "negative=blurry", "width=128",
                    "height=128", "steps=3", "face=[whole image]", "threshold=0.27", "ip_scale=", "identitynet_scale="}) {
                assertTrue(recorded.contains(key), key + " in " + recorded);
            }
            Matcher seed = Pattern.compile("seed=(\\d+)").matcher(recorded);
            assertTrue(seed.find(), "the seed really used is recorded, not -1: " + recorded);
            assertTrue(r.getProperty("result.info").contains("\"seed\": " + seed.group(1)), r.getProperty("result.info"));
            assertEquals("analog film photo of a person, 35mm", r.getProperty("remembered.prompt"));
            assertEquals("3", r.getProperty("remembered.steps"));
            assertEquals("-1", r.getProperty("remembered.seed"), "'random' is remembered, not the drawn seed");
            int[] dialogRun = pixels(tmp.resolve("dialog-run.png"));
            assertArrayEquals(dialogRun, pixels(tmp.resolve("replay-window.png")), "the recorded line replays the same pixels");
            // an error in the window: a plain dialog with the message, no stack trace
            String err = r.getProperty("error.text");
            assertTrue(err.contains("multiples of 8"), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
            // the shipped macros in the window; the user's own portrait.png stays open
            assertTrue(r.getProperty("macro.generate_from_roi.info").contains("seed=3"), r.getProperty("macro.generate_from_roi.info"));
            assertTrue(r.getProperty("macro.compose_two_people.info").contains("Compose Identities..."));
            assertTrue(Files.isRegularFile(tmp.resolve("batch-out-window/portrait_instantid.png")));
            assertTrue(Files.isRegularFile(tmp.resolve("batch-out-window/b_instantid.json")));
            assertEquals("true", r.getProperty("userImageKept"), "batch_folder.ijm closed only what it opened");

            // 2. -batch: the recorded line and the shipped macros, unmodified; an error ends the macro without a dialog
            String macros = Path.of("macros").toAbsolutePath() + "/";
            String d = tmp + "/";
            Path batch = tmp.resolve("batch.ijm");
            Files.writeString(batch, String.join("\n",
                    "open(\"" + d + "portrait.png\"); portrait = getImageID();",
                    recorded,
                    "saveAs(\"PNG\", \"" + d + "replay-batch.png\");",
                    "selectImage(portrait); makeRectangle(0, 300, 480, 180);",
                    "runMacro(\"" + macros + "generate_from_roi.ijm\", \"width=128 height=128 steps=2 seed=3 threshold=0.27\");",
                    "print(\"ROI-MACRO \" + getTitle() + \" \" + getWidth());",
                    "selectImage(portrait); run(\"Select None\");",
                    "runMacro(\"" + macros + "detect_and_similarity.ijm\", \"width=128 height=128 steps=2 seed=9 threshold=0.1\");",
                    "print(\"SIMILARITY \" + getResult(\"Similarity\", 0));",
                    "selectImage(portrait);",
                    "runMacro(\"" + macros + "compose_two_people.ijm\", \"width=128 height=128 steps=2 seed=13 threshold=0.27\");",
                    "print(\"COMPOSED \" + getTitle() + \" \" + Overlay.size);",
                    "runMacro(\"" + macros + "batch_folder.ijm\", \"input=[" + d + "batch-in] output=[" + d
                            + "batch-out-batch] extra=[width=128 height=128 steps=2 seed=5 threshold=0.27]\");",
                    "print(\"PORTRAIT-OPEN \" + isOpen(portrait));",
                    "selectImage(portrait);",
                    "run(\"Generate from Face...\", \"width=100 height=128 threshold=0.27\");",
                    "print(\"NOT REACHED\");", ""));
            String out = imagej(display, ijHome, fx, List.of("-batch", batch.toString()), "batch", 1200);
            assertArrayEquals(dialogRun, pixels(tmp.resolve("replay-batch.png")), "the recorded line in -batch mode: same pixels\n" + out);
            assertTrue(out.contains("ROI-MACRO InstantID-portrait-1 128"), out);
            assertTrue(out.contains("SIMILARITY "), out);
            assertTrue(out.contains("COMPOSED InstantID-composition-1 2"), out);
            assertTrue(Files.isRegularFile(tmp.resolve("batch-out-batch/portrait_instantid.png")), out);
            assertTrue(out.contains("PORTRAIT-OPEN 1"), out);
            assertTrue(out.contains("InstantID: size 100x128 is not allowed"), out);
            assertFalse(out.contains("NOT REACHED"), "the error ends the macro");
            assertFalse(out.contains("\tat instantid.") || out.contains("Exception"), "no stack trace for a user error:\n" + out);
        }
    }

    /** The zip as a user unpacks it into a fresh ImageJ folder, plus the driver plug-in. */
    Path install(Path cpFile, Path provided) throws Exception {
        List<Path> libs = new ArrayList<>();
        for (Path f : new Path[] {cpFile, provided}) {
            for (String s : Files.readString(f).trim().split(File.pathSeparator)) if (!s.isBlank()) libs.add(Path.of(s));
        }
        Path zip = tmp.resolve("InstantID-ImageJ1.zip");
        ImageJ1Zip.build(UpdateSiteTest.pluginJar(tmp.resolve("instantid.jar")), libs, zip);
        Path home = Files.createDirectories(tmp.resolve("ImageJ"));
        ImageJ1Zip.unpack(zip, home);
        try (var s = Files.list(home.resolve("plugins"))) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().matches("InstantID_Fiji-.*\\.jar")).count());
        }
        assertTrue(Files.isRegularFile(home.resolve("jars/scijava-common-2.100.1.jar")), "what Fiji ships but ImageJ 1 lacks");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(home.resolve("plugins/InstantID_Test_Driver.jar")))) {
            j.putNextEntry(new JarEntry("plugins.config"));
            j.write("Plugins, \"InstantID Test Driver\", instantid.dist.ImageJ1Driver\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
            String cls = "instantid/dist/ImageJ1Driver.class";
            j.putNextEntry(new JarEntry(cls));
            Files.copy(Path.of("target/test-classes").resolve(cls), j);
            j.closeEntry();
        }
        return home;
    }

    String imagej(VirtualDisplay display, Path ijHome, Path fx, List<String> args, String name, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-Duser.home=" + Files.createDirectories(tmp.resolve("home")),
                "-Dinstantid.driver.dir=" + tmp, "-Dinstantid.fixtures=" + fx,
                "-Dinstantid.macros=" + Path.of("macros").toAbsolutePath(),
                "-cp", IJ_JAR.toString(), "ij.ImageJ", "-ijpath", ijHome.toString(), "-port0"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("DISPLAY", display.name());
        Path cache = Path.of("target/djl-cache").toAbsolutePath();
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            display.screenshot(tmp.resolve(name + "-stuck.png"));
            p.destroyForcibly();
        }
        String log = Files.readString(tmp.resolve(name + ".log"));
        assertTrue(done, "ImageJ (" + name + ") did not finish in " + seconds + " s (a modal dialog?):\n" + log);
        return log;
    }

    /** The fixture photo (480x360) on a 480x480 black canvas, as FijiCommandsTest uses it. */
    static void writePortrait(Path fx, Path png) throws Exception {
        BufferedImage img = new BufferedImage(480, 480, BufferedImage.TYPE_INT_RGB);
        try (Safetensors io = Safetensors.open(fx.resolve("face_analysis/io.safetensors"))) {
            ByteBuffer b = io.bytes("image_rgb");
            for (int y = 0; y < 360; y++) {
                for (int x = 0; x < 480; x++) {
                    img.setRGB(x, y, (b.get() & 0xff) << 16 | (b.get() & 0xff) << 8 | (b.get() & 0xff));
                }
            }
        }
        ImageIO.write(img, "png", png.toFile());
    }

    static int[] pixels(Path png) throws Exception {
        assertTrue(Files.isRegularFile(png), png + " was not written");
        BufferedImage i = ImageIO.read(png.toFile());
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    static int count(String s, String part) {
        int n = 0;
        for (String x : s.split("\\|")) if (x.equals(part)) n++;
        return n;
    }

    /** With -Dinstantid.screenshots=DIR (docs/screenshots.sh), the driver's screenshots go there. */
    void copyScreenshots() throws Exception {
        String to = System.getProperty("instantid.screenshots");
        Path from = tmp.resolve("screenshots");
        if (to == null || !Files.isDirectory(from)) return;
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, Path.of(to).resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
