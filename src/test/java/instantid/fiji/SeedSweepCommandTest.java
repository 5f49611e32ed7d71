package instantid.fiji;

import static org.junit.jupiter.api.Assertions.*;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.macro.Interpreter;

import instantid.io.Safetensors;
import instantid.parity.FixturesTest;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.prefs.PrefService;

/**
 * Seed Sweep and the identity score / ID-attention map in Fiji, headless with the tiny models
 * (threshold 0.27, as the other Fiji tests: the tiny random detector finds the portrait's face; on
 * the outputs it may find none, so a score may be "none (...)": what the label must then say).
 */
class SeedSweepCommandTest {

    static Context ctx;
    static InstantIdService service;
    static byte[] portraitRgb;

    @BeforeAll
    static void setUp() throws Exception {
        Path fx = FixturesTest.requireFixtures();
        ctx = new Context(CommandService.class, ModuleService.class, InstantIdService.class, PrefService.class,
                EventService.class, LogService.class);
        service = ctx.service(InstantIdService.class);
        service.setSettings(new FijiSettings(fx.resolve("pipeline_sdxl_tiny"), null, fx.resolve("face_analysis"), null, "cpu", "fp32"));
        try (Safetensors io = Safetensors.open(fx.resolve("face_analysis/io.safetensors"))) {
            ByteBuffer b = io.bytes("image_rgb");
            portraitRgb = new byte[480 * 480 * 3];
            b.get(portraitRgb, 0, 480 * 360 * 3);
        }
        Interpreter.batchMode = true;
        assertTrue(MacroBridge.install(ctx));
    }

    @AfterAll
    static void tearDown() {
        MacroBridge.uninstall();
        if (ctx != null) ctx.dispose();
    }

    @BeforeEach
    void open() {
        Interpreter.batchMode = true;
        new ImagePlus("portrait.png", Images.colorProcessor(480, 480, portraitRgb)).show();
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
    }

    static double score(String label) {
        String s = label.substring(label.indexOf("score=") + 6);
        return s.startsWith("none") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s.trim());
    }

    @Test
    void sweepMakesAStackAndMontageBestFirstWithTheBestsMacro() {
        SeedSweepCommand c = (SeedSweepCommand) MacroBridge.run(ctx, SeedSweepCommand.class,
                "prompt=[a man] width=64 height=64 steps=2 seed=30 images=4 threshold=0.27 face=[whole image] id_map").getDelegateObject();
        ImagePlus out = c.output();
        assertNotNull(out, String.valueOf(c.getCancelReason()));
        assertEquals(4, out.getStackSize());
        double last = Double.POSITIVE_INFINITY;
        java.util.Set<String> seeds = new java.util.TreeSet<>();
        for (int k = 1; k <= 4; k++) {
            String label = out.getStack().getSliceLabel(k);
            assertTrue(label.startsWith("seed=") && label.contains(" score="), label);
            seeds.add(label.substring(5, label.indexOf(' ')));
            assertTrue(score(label) <= last, "sorted by score: " + label);
            last = score(label);
        }
        assertEquals(java.util.Set.of("30", "31", "32", "33"), seeds);
        String bestSeed = out.getStack().getSliceLabel(1).substring(5, out.getStack().getSliceLabel(1).indexOf(' '));
        String info = (String) out.getProperty("Info");
        assertTrue(info.contains("run(\"Generate from Face...\"") && info.contains("seed=" + bestSeed + " ") && info.contains("images=1"), info);
        assertTrue(out.getProp(Images.SETTINGS_PROPERTY).contains("\"seed\": " + bestSeed));
        // the ID maps follow the ranking: slice k's overlay and map line are image k's
        assertEquals(4, out.getOverlay().size());
        int from = info.indexOf("ID-attention map");
        assertTrue(from > 0, info);
        for (int k = 1; k <= 4; k++) {
            assertEquals(k, out.getOverlay().get(k - 1).getPosition());
            String label = out.getStack().getSliceLabel(k);
            int at = info.indexOf("  " + label.substring(0, label.indexOf(' ')).replace('=', ' ') + ": mean", from);
            assertTrue(at > from, "map line of " + label + " after the previous one: " + info);
            from = at;
        }
        ImagePlus montage = c.montage();
        assertNotNull(montage);
        assertEquals(2 * 64, montage.getWidth());
        assertEquals(2 * 64, montage.getHeight());
    }

    @Test
    void generateLabelsTheSliceWithItsScoreAndOverlaysTheIdMap() {
        GenerateFromFace g = (GenerateFromFace) MacroBridge.run(ctx, GenerateFromFace.class,
                "prompt=[a man] width=64 height=64 steps=2 seed=3 threshold=0.27 face=[whole image] id_map").getDelegateObject();
        ImagePlus out = g.output();
        assertNotNull(out, String.valueOf(g.getCancelReason()));
        assertTrue(out.getStack().getSliceLabel(1).matches("seed=3 score=(-?[0-9.]+|none .*)"), out.getStack().getSliceLabel(1));
        assertTrue(((String) out.getProperty("Info")).contains("Identity scores"));
        assertTrue(out.getProp(Images.SETTINGS_PROPERTY).contains("\"identity_score\""));
        Roi roi = out.getOverlay().get("ID-attention");
        assertTrue(roi instanceof ImageRoi, "an image overlay");
        assertEquals(64, roi.getBounds().width);
        assertEquals(64, roi.getBounds().height);
        assertTrue(((String) out.getProperty("Info")).contains("ID-attention map"));
    }
}
