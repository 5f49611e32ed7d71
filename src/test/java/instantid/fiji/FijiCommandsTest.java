package instantid.fiji;

import static org.junit.jupiter.api.Assertions.*;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.gui.Roi;
import ij.process.ColorProcessor;

import instantid.io.Safetensors;
import instantid.parity.FixturesTest;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.prefs.PrefService;

/**
 * The commands headless, for real: a SciJava Context, inputs as macro option strings (through
 * {@link MacroBridge}), ImageJ's macro interpreter for the shipped macros, the tiny fixture
 * models. Images live in batch mode, as in headless Fiji.
 */
class FijiCommandsTest {

    static Context ctx;
    static InstantIdService service;
    static FijiSettings good;
    static byte[] portraitRgb;
    /** The fixture picture (480x360) on a 480x480 black canvas: the tiny random detector's faces lie in the black band. */
    static final int W = 480, H = 480;
    ImagePlus portrait;

    @BeforeAll
    static void setUp() throws Exception {
        Path fx = FixturesTest.requireFixtures();
        ctx = new Context(CommandService.class, ModuleService.class, InstantIdService.class, PrefService.class,
                EventService.class, LogService.class);
        service = ctx.service(InstantIdService.class);
        good = new FijiSettings(fx.resolve("pipeline_sdxl_tiny"), null, fx.resolve("face_analysis"), null, "cpu", "fp32");
        try (Safetensors io = Safetensors.open(fx.resolve("face_analysis/io.safetensors"))) {
            ByteBuffer b = io.bytes("image_rgb");
            assertEquals(480 * 360 * 3, b.remaining());
            portraitRgb = new byte[W * H * 3];
            b.get(portraitRgb, 0, 480 * 360 * 3);
        }
        Interpreter.batchMode = true;
        assertTrue(MacroBridge.install(ctx), "no imagej-legacy here: the bridge installs");
    }

    @AfterAll
    static void tearDown() {
        MacroBridge.uninstall();
        if (ctx != null) ctx.dispose();
    }

    @BeforeEach
    void open() {
        Interpreter.batchMode = true; // as headless Fiji; a finished macro leaves batch mode
        service.setSettings(good);
        portrait = new ImagePlus("portrait.png", Images.colorProcessor(W, H, portraitRgb));
        portrait.show();
        assertSame(portrait, WindowManager.getCurrentImage());
    }

    @AfterEach
    void closeAll() {
        for (int id : Interpreter.getBatchModeImageIDs()) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp != null) {
                imp.changes = false;
                imp.close();
            }
        }
        IJ.resetEscape();
    }

    static int[] pixels(ImagePlus imp) {
        return ((int[]) imp.getProcessor().getPixels()).clone();
    }

    static int openImages() {
        return Interpreter.getBatchModeImageCount();
    }

    // ---- Detect Faces / Face Similarity -------------------------------------------------------

    @Test
    void detectFacesMakesOverlayAndTableWithoutTouchingPixels() {
        int[] before = pixels(portrait);
        DetectFaces cmd = (DetectFaces) MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27 detector_size=640")
                .getDelegateObject();
        assertTrue(cmd.faces().size() >= 2, "the fixture image has several detectable faces");
        assertNotNull(portrait.getOverlay());
        assertTrue(portrait.getOverlay().getIndex("face-1") >= 0, "face-1 is named in the overlay");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(cmd.faces().size(), rt.size());
        assertEquals(cmd.faces().get(0).score(), rt.getValue("Score", 0), 1e-5);
        assertTrue(rt.columnExists("KP5Y"));
        assertArrayEquals(before, pixels(portrait), "Detect Faces must not change pixels");
    }

    @Test
    void detectFacesSearchesInsideTheSelection() {
        DetectFaces all = (DetectFaces) MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27").getDelegateObject();
        portrait.setRoi(new ij.gui.OvalRoi(0, 400, 100, 80)); // any shape: its bounds
        DetectFaces in = (DetectFaces) MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27").getDelegateObject();
        assertFalse(in.faces().isEmpty());
        java.awt.Rectangle sel = portrait.getRoi().getBounds();
        for (var g : in.faces()) assertTrue(sel.contains(g.centerX(), g.centerY()), g + " lies in " + sel);
        portrait.setRoi(0, 0, W, 300); // the detector's faces on this fixture all lie lower
        DetectFaces none = (DetectFaces) MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27").getDelegateObject();
        assertTrue(none.faces().isEmpty(), "no face outside the selection: " + none.faces());
    }

    @Test
    void similarityOfTwoRoisAndOfAFaceWithItself() {
        MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27");
        MacroBridge.run(ctx, FaceSimilarity.class, "mode=[two rois] first=face-1 second=face-1 threshold=0.27");
        assertEquals(1.0, ResultsTable.getResultsTable().getValue("Similarity", 0), 1e-5);
        MacroBridge.run(ctx, FaceSimilarity.class, "mode=[two rois] first=face-1 second=face-2 threshold=0.27");
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(1, rt.size());
        assertEquals("face-2", rt.getStringValue("Face B", 0));
        double s = rt.getValue("Similarity", 0); // the tiny random recogniser cannot tell its faces apart
        assertTrue(s >= -1 - 1e-9 && s <= 1 + 1e-9, "a cosine: " + s);
        MacroBridge.run(ctx, FaceSimilarity.class, "mode=[all roi manager faces] threshold=0.27");
        int n = portraitFaces();
        assertEquals(n * (n - 1) / 2, ResultsTable.getResultsTable().size(), "every pair once");
    }

    int portraitFaces() {
        int n = 0;
        for (ij.gui.Roi r : portrait.getOverlay().toArray()) if (r.getName() != null && r.getName().matches("face-\\d+")) n++;
        return n;
    }

    @Test
    void similarityOfTwoImagesUsesTheirLargestFaces() {
        ImagePlus copy = portrait.duplicate();
        copy.setTitle("copy");
        copy.show();
        MacroBridge.run(ctx, FaceSimilarity.class, "image=portrait.png mode=[two images] other=copy threshold=0.27");
        assertEquals(1.0, ResultsTable.getResultsTable().getValue("Similarity", 0), 1e-5);
    }

    // ---- Generate from Face: validation before models -------------------------------------------

    void assertRejected(String options, String... fragments) {
        int before = openImages();
        int[] px = pixels(portrait);
        instantid.common.UserException e = assertThrows(instantid.common.UserException.class,
                () -> MacroBridge.run(ctx, GenerateFromFace.class, options));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' names " + f);
        assertEquals(before, openImages(), "no window for a rejected run");
        assertArrayEquals(px, pixels(portrait));
    }

    @Test
    void badInputsGiveClearMessages() {
        assertRejected("prompt=[a man] width=100 height=128 threshold=0.27", "multiples of 8");
        assertRejected("prompt=[a man] width=128 height=128 steps=0 threshold=0.27", "steps");
        assertRejected("prompt=[a man] width=128 height=128 keypoints=[1 2 3] threshold=0.27", "10 numbers");
        assertRejected("prompt=[a man] width=128 height=128 face=[roi manager] row=nobody", "nobody");
        assertRejected("prompt=[a man] width=128 height=128 pose=[not open]", "not open");
        assertRejected("prompt=[a man] width=128 height=128 fast", "LCM-LoRA");
        assertRejected("prompt=[a man] width=128 height=128 loras=[/no/such.safetensors:0.5]", "/no/such.safetensors");
        assertRejected("prompt=[a man] width=128 height=128 style=Pastel", "Pastel", "Watercolor");
    }

    @Test
    void missingModelsAreNamedBeforeLoading() {
        service.release();
        service.setSettings(new FijiSettings(Path.of("/no/models"), null, good.faceModels(), null, "cpu", "fp32"));
        assertRejected("prompt=[a man] width=128 height=128 threshold=0.27", "missing models", "Settings / Models");
        assertFalse(service.pipelineLoaded());
    }

    @Test
    void anImageWithoutAFaceIsRejected() {
        service.release();
        ImagePlus blank = new ImagePlus("blank", new ColorProcessor(200, 160));
        blank.show();
        assertRejected("image=blank prompt=[a man] width=128 height=128 threshold=0.5", "No face", "blank");
        assertFalse(service.pipelineLoaded(), "no pipeline load for an image without a face");
    }

    @Test
    void greyStacksAreAccepted() {
        // a 16-bit two-slice stack: the current slice is converted by its display range, then checked
        ij.ImageStack st = new ij.ImageStack(W, H);
        for (int z = 0; z < 2; z++) {
            ij.process.ShortProcessor sp = new ij.process.ShortProcessor(W, H);
            for (int i = 0; i < W * H; i++) sp.set(i, (portraitRgb[3 * i + 1] & 0xff) * 200);
            st.addSlice(sp);
        }
        ImagePlus grey = new ImagePlus("grey16", st);
        grey.setSlice(2);
        grey.resetDisplayRange();
        grey.show();
        DetectFaces d = (DetectFaces) MacroBridge.run(ctx, DetectFaces.class, "image=grey16 threshold=0.2").getDelegateObject();
        assertNotNull(d.faces());
    }

    // ---- Generate from Face: real runs (need the pipeline) --------------------------------------

    @Test
    void generatesAStackWithSeedsAndReproducibleInfo() {
        int[] px = pixels(portrait);
        int before = openImages();
        GenerateFromFace g = (GenerateFromFace) MacroBridge.run(ctx, GenerateFromFace.class,
                "prompt=[a photo of a man] width=128 height=128 steps=2 seed=7 images=2 threshold=0.27 face=[whole image]")
                .getDelegateObject();
        ImagePlus out = g.output();
        assertNotNull(out);
        assertEquals(before + 1, openImages(), "exactly one new image");
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        assertEquals(2, out.getStackSize());
        assertTrue(out.getStack().getSliceLabel(1).startsWith("seed="));
        String info = (String) out.getProperty("Info");
        assertTrue(info.contains("run(\"Generate from Face...\""), info);
        assertTrue(info.contains("seed=7"), info);
        assertNotNull(out.getProp(Images.SETTINGS_PROPERTY));
        assertArrayEquals(px, pixels(portrait), "the source is never modified");
        assertTrue(service.pipelineLoaded(), "kept loaded for the next run");
    }

    static ImagePlus generate(String options) {
        return ((GenerateFromFace) MacroBridge.run(ctx, GenerateFromFace.class, options).getDelegateObject()).output();
    }

    /** Records every step event: which command, when. */
    public static class StepLog {
        final java.util.List<Object> commands = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);

        @EventHandler
        public void onStep(StepEvent e) {
            commands.add(e.command());
            first.countDown();
        }
    }

    @Test
    void twoCommandsAndAReleaseAtOnceTakeTurnsOnTheSharedModels() throws Exception {
        String lora = FixturesTest.requireFixtures().resolve("lora/lora_kohya_sgm.safetensors").toString();
        String a = "image=portrait.png prompt=[a man] width=64 height=64 steps=4 seed=21 threshold=0.27 face=[whole image]";
        String b = "image=portrait.png prompt=[a man] width=64 height=64 steps=4 seed=22 threshold=0.27 face=[whole image]"
                + " loras=[" + lora + ":0.8]";
        int[] aloneA = pixels(generate(a)), aloneB = pixels(generate(b)), againA = pixels(generate(a));
        assertArrayEquals(aloneA, againA, "the LoRA of B was unfused after its run");
        StepLog steps = new StepLog();
        var subscribers = ctx.service(EventService.class).subscribe(steps);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var fa = pool.submit(() -> generate(a));
            assertTrue(steps.first.await(300, java.util.concurrent.TimeUnit.SECONDS), "A started");
            var fb = pool.submit(() -> generate(b)); // fuses a LoRA: must wait for A
            var release = pool.submit(() -> MacroBridge.run(ctx, ReleaseModels.class, "")); // must not pull the models from under A
            ImagePlus outA = fa.get(600, java.util.concurrent.TimeUnit.SECONDS), outB = fb.get(600, java.util.concurrent.TimeUnit.SECONDS);
            release.get(600, java.util.concurrent.TimeUnit.SECONDS);
            assertArrayEquals(aloneA, pixels(outA), "A ran undisturbed by B's LoRA and by the release");
            assertArrayEquals(aloneB, pixels(outB), "B ran as it does alone");
            // each run's steps form one block: no step of one command between two steps of another
            java.util.List<Object> order = new java.util.ArrayList<>(steps.commands);
            java.util.Set<Object> finished = new java.util.HashSet<>();
            for (int i = 1; i < order.size(); i++) {
                if (order.get(i) != order.get(i - 1)) {
                    assertTrue(finished.add(order.get(i - 1)), "a command's steps were interleaved with another's");
                    assertFalse(finished.contains(order.get(i)), "a command resumed after another one ran");
                }
            }
            java.util.Set<String> titles = new java.util.HashSet<>();
            for (int id : Interpreter.getBatchModeImageIDs()) assertTrue(titles.add(WindowManager.getImage(id).getTitle()),
                    "batch-mode outputs get unique titles: " + WindowManager.getImage(id).getTitle());
            assertTrue(titles.size() >= 6, "portrait + five outputs: " + titles);
        } finally {
            pool.shutdownNow();
            ctx.service(EventService.class).unsubscribe(subscribers);
        }
    }

    @Test
    void settingsFromAMacroWinAndOtherMacrosStoreNothing(@TempDir Path tmp) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models")), faces = Files.createDirectories(tmp.resolve("faces"));
        MacroBridge.run(ctx, ModelSettings.class, "models=[" + models + "] faces=[" + faces + "] device=cpu precision=fp32");
        assertEquals(models, service.settings().modelFolder(), "the macro's value, not the stored one");
        assertEquals(faces, service.settings().faceModels());
        MacroBridge.run(ctx, ModelSettings.class, "device=cpu");
        assertEquals(models, service.settings().modelFolder(), "keys a macro leaves out keep the current settings");
        service.setSettings(good);
        MacroBridge.run(ctx, DetectFaces.class, "threshold=0.33 detector_size=320");
        assertNull(ij.Prefs.get(CommandDialog.PREFS + "DetectFaces.threshold", null), "a macro never stores dialog values");
        instantid.common.UserException e = assertThrows(instantid.common.UserException.class,
                () -> MacroBridge.run(ctx, DetectFaces.class, "threshold=2"));
        assertTrue(e.getMessage().contains("threshold=2") && e.getMessage().contains("at most 1"), e.getMessage());
    }

    public static class CancelAtFirstStep {
        @EventHandler
        public void onStep(StepEvent e) {
            if (e.step() == 1) e.command().cancel(InstantIdCommand.CANCELLED);
        }
    }

    @Test
    void cancelMidRunLeavesNoWindow() {
        CancelAtFirstStep listener = new CancelAtFirstStep();
        var subscribers = ctx.service(EventService.class).subscribe(listener);
        try {
            int before = openImages();
            assertThrows(CancellationException.class, () -> MacroBridge.run(ctx, GenerateFromFace.class,
                    "prompt=[a man] width=128 height=128 steps=4 seed=1 threshold=0.27"));
            assertEquals(before, openImages(), "a cancelled run leaves no window");
        } finally {
            ctx.service(EventService.class).unsubscribe(subscribers);
        }
    }

    // ---- the shipped macros through ImageJ's interpreter ------------------------------------------

    static String macro(String name) throws Exception {
        return Files.readString(Path.of("macros", name));
    }

    @Test
    void macroErrorsAbortWithTheMessage(@TempDir Path tmp) {
        Path after = tmp.resolve("after.txt");
        Interpreter in = new Interpreter();
        in.setIgnoreErrors(true); // headless: the error is kept, not shown in a dialog
        in.run("run(\"Generate from Face\", \"prompt=[x] width=100 height=128 threshold=0.27\");\n"
                + "File.saveString(\"not reached\", \"" + after + "\");", null);
        assertTrue(String.valueOf(in.getErrorMessage()).contains("multiples of 8"), in.getErrorMessage());
        assertFalse(Files.exists(after), "the macro stops at the error");
    }

    /** A shipped macro followed by a line saving the current image (a finished macro forgets batch-mode images). */
    static ImagePlus runAndKeep(String macro, String arg, Path tmp) {
        Path tif = tmp.resolve("current.tif");
        Interpreter in = new Interpreter();
        in.setIgnoreErrors(true);
        in.run(macro + "\nsaveAs(\"Tiff\", \"" + tif + "\");\n", arg);
        assertNull(in.getErrorMessage(), "macro error");
        return IJ.openImage(tif.toString());
    }

    @Test
    void generateFromRoiMacro(@TempDir Path tmp) throws Exception {
        portrait.setRoi(0, 300, W, 180); // the face(s) lie in this band
        ImagePlus out = runAndKeep(macro("generate_from_roi.ijm"), "width=128 height=128 steps=2 seed=3 threshold=0.27", tmp);
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        assertTrue(((String) out.getProperty("Info")).contains("seed=3"));
    }

    @Test
    void batchFolderMacroWritesPngsAndSettings(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
        assertTrue(new ij.io.FileSaver(portrait.duplicate()).saveAsPng(in.resolve("a.png").toString()));
        assertTrue(new ij.io.FileSaver(portrait.duplicate()).saveAsPng(in.resolve("b.png").toString()));
        assertTrue(Files.isRegularFile(in.resolve("a.png")) && Files.isRegularFile(in.resolve("b.png")));
        Interpreter interp = new Interpreter();
        interp.setIgnoreErrors(true);
        interp.run(macro("batch_folder.ijm"), "input=[" + in + "] output=[" + out
                + "] extra=[width=128 height=128 steps=2 seed=5 threshold=0.27]");
        assertNull(interp.getErrorMessage());
        for (String n : new String[] {"a", "b"}) {
            ImagePlus png = IJ.openImage(out.resolve(n + "_instantid.png").toString());
            assertNotNull(png, n + " written");
            assertEquals(128, png.getWidth());
            assertTrue(Files.readString(out.resolve(n + "_instantid.json")).contains("prompt"));
        }
    }

    @Test
    void detectAndSimilarityMacro(@TempDir Path tmp) throws Exception {
        runAndKeep(macro("detect_and_similarity.ijm"), "width=128 height=128 steps=2 seed=9 threshold=0.1", tmp);
        double s = ResultsTable.getResultsTable().getValue("Similarity", 0);
        assertTrue(s >= -1 && s <= 1, "a cosine similarity: " + s);
    }

    @Test
    void macroOptionsReachTheCommandAsStrings() {
        assertTrue(MacroBridge.hasKey("prompt=[a b] fast seed=1", "fast"));
        assertFalse(MacroBridge.hasKey("prompt=[a b] faster", "fast"));
        String line = new MacroLine("Generate from Face").put("prompt", "a man").put("steps", 30).put("guidance", 5.0)
                .put("ip_scale", 0.8).flag("fast", true).toString();
        assertEquals("run(\"Generate from Face\", \"prompt=[a man] steps=30 guidance=5 ip_scale=0.8 fast\");", line);
        assertEquals(Arrays.asList("a man"), Arrays.asList(ij.Macro.getValue("prompt=[a man] steps=30", "prompt", null)));
    }

    // ---- sizes, keypoints, composition ----------------------------------------------------------

    @Test
    void automaticSizeFollowsTheAppRuleAndKeypointsScale() {
        // resize_img's defaults, as app.py: long side 1280, min_side 1024, multiples of 64
        assertArrayEquals(new int[] {1280, 1280}, OutputSize.of(0, 0, new int[] {480, 480}));
        assertArrayEquals(new int[] {1280, 960}, OutputSize.of(0, 0, new int[] {480, 360}));
        assertArrayEquals(new int[] {64, 128}, OutputSize.of(64, 128, null));
        // keypoints found on the resized photo, scaled to the output (the identity at the automatic size)
        instantid.image.PreparedPhoto photo = ImageConversion.prepare(portrait);
        assertEquals(1280, photo.resized().width());
        assertEquals(1280, photo.resized().height());
        instantid.face.Face f = new instantid.face.Face(0, 0, 10, 10, 1f, new float[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, null);
        instantid.image.PhotoFaces.Found found = new instantid.image.PhotoFaces.Found(f, photo.toOriginal(f));
        float[] k = instantid.image.PhotoFaces.keypointsFor(photo, found, 640, 240).flat();
        assertEquals(10f * 640 / 1280, k[0], 1e-5);
        assertEquals(20f * 240 / 1280, k[1], 1e-5);
        assertEquals(10f * W / 1280, found.inOriginal().kps()[0], 1e-4);
        assertEquals(20f * H / 1280, found.inOriginal().kps()[1], 1e-4);
    }

    void drawTwoRegions(ImagePlus canvas) {
        ij.gui.Overlay o = new ij.gui.Overlay();
        Roi left = new Roi(0, 0, 64, 128), right = new ij.gui.OvalRoi(64, 0, 64, 128);
        left.setName("left");
        right.setName("right");
        o.add(left);
        o.add(right);
        canvas.setOverlay(o);
    }

    @Test
    void compositionInputsAreChecked() {
        service.release();
        MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27");
        ImagePlus canvas = new ImagePlus("canvas", new ColorProcessor(128, 128));
        drawTwoRegions(canvas);
        canvas.show();
        instantid.common.UserException e = assertThrows(instantid.common.UserException.class, () -> MacroBridge.run(ctx,
                ComposeIdentities.class, "canvas=canvas identities=[face-1@portrait.png] threshold=0.27"));
        assertTrue(e.getMessage().contains("face@image>region"), e.getMessage());
        e = assertThrows(instantid.common.UserException.class, () -> MacroBridge.run(ctx, ComposeIdentities.class,
                "canvas=canvas identities=[face-1@portrait.png>left; face-2@portrait.png>middle] threshold=0.27"));
        assertTrue(e.getMessage().contains("middle"), e.getMessage());
        e = assertThrows(instantid.common.UserException.class, () -> MacroBridge.run(ctx, ComposeIdentities.class,
                "canvas=canvas identities=[face-1@portrait.png>left; face-2@portrait.png>right] ip_scales=[1,2,3]"));
        assertTrue(e.getMessage().contains("ip_scales"), e.getMessage());
        assertFalse(service.pipelineLoaded());
    }

    @Test
    void composesTwoIdentitiesWithOneRegionOverlayEach() {
        MacroBridge.run(ctx, DetectFaces.class, "threshold=0.27");
        ImagePlus canvas = new ImagePlus("canvas", new ColorProcessor(128, 128));
        drawTwoRegions(canvas);
        canvas.show();
        ComposeIdentities c = (ComposeIdentities) MacroBridge.run(ctx, ComposeIdentities.class,
                "canvas=canvas identities=[face-1@portrait.png>left; face-2@portrait.png>right] ip_scales=[0.8,0.6]"
                        + " prompt=[two people] steps=2 seed=11 threshold=0.27").getDelegateObject();
        ImagePlus out = c.output();
        assertEquals(128, out.getWidth());
        assertEquals(2, out.getOverlay().size());
        assertTrue(out.getOverlay().get(1).getName().startsWith("identity-2"));
        assertTrue(((String) out.getProperty("Info")).contains("Compose Identities"));
    }

    @Test
    void composeMacroPutsTwoPeopleInOnePicture(@TempDir Path tmp) throws Exception {
        ImagePlus out = runAndKeep(macro("compose_two_people.ijm"), "width=128 height=128 steps=2 seed=13 threshold=0.27", tmp);
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        String info = (String) out.getProperty("Info");
        assertTrue(info.contains("Compose Identities"), info);
        assertTrue(info.contains("seed=13"), info);
    }

    @Test
    void placedKeypointsLieInTheirRegion() {
        instantid.face.Face f = new instantid.face.Face(100, 100, 200, 220, 0.9f,
                new float[] {130, 140, 170, 140, 150, 170, 135, 195, 165, 195}, null);
        java.awt.Rectangle r = new java.awt.Rectangle(512, 0, 512, 1024);
        float[] k = instantid.request.Placement.place(f, new instantid.pipeline.Region(512, 0, 512, 1024, 0)).flat();
        for (int i = 0; i < 5; i++) assertTrue(r.contains(k[2 * i], k[2 * i + 1]), "keypoint " + i);
        assertTrue(k[0] < k[2], "left eye stays left of the right eye");
    }
}
