package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.macro.Interpreter;
import instantid.parity.FixturesTest;
import instantid.pipeline.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.prefs.PrefService;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generate in Style and Generate from Reference headless on the tiny models, through the macro
 * bridge as a recorded macro line would run them: a new window whose settings hold the image
 * prompt, the source untouched, a content prompt with the Plus adapter refused with a message.
 */
class FijiStyleTest {

    @TempDir
    static Path tmp;

    static Context ctx;
    static Path plus;
    static String files;

    @BeforeAll
    static void setUp() throws Exception {
        Path fx = FixturesTest.requireFixtures();
        ctx = new Context(CommandService.class, ModuleService.class, InstantIdService.class, PrefService.class,
                EventService.class, LogService.class);
        ctx.service(InstantIdService.class).setSettings(
                new FijiSettings(fx.resolve("pipeline_sdxl_tiny"), null, fx.resolve("face_analysis"), null, "cpu", "fp32"));
        plus = TinyModels.writeTinyPlus(tmp, false);
        files = " encoder=[" + fx.resolve("ip_adapter_sdxl_tiny/image_encoder") + "]";
        Interpreter.batchMode = true;
        assertTrue(MacroBridge.install(ctx));
    }

    @AfterAll
    static void tearDown() {
        MacroBridge.uninstall();
        if (ctx != null) ctx.dispose();
    }

    static ImagePlus picture(String title) {
        int w = 90, h = 70;
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) px[i] = ((i * 7) & 0xff) << 16 | ((i / w * 3) & 0xff) << 8 | (i % w) * 2;
        ImagePlus imp = new ImagePlus(title, new ij.process.ColorProcessor(w, h, px));
        imp.show();
        return imp;
    }

    @Test
    void aStyledImageAndAReferenceObjectImage() {
        ImagePlus src = picture("wave.png");
        int[] before = ((int[]) src.getProcessor().getPixels()).clone();
        GenerateInStyle g = (GenerateInStyle) MacroBridge.run(ctx, GenerateInStyle.class, "style=wave.png prompt=[a cat]"
                + " style_scale=1 blocks=style content=[a wave] width=64 height=64 steps=2 seed=3 adapter=["
                + TinyModels.fixtures().resolve("ip_adapter_sdxl_tiny/ip-adapter_sdxl_tiny.safetensors") + "]" + files)
                .getDelegateObject();
        ImagePlus out = g.output();
        assertNotNull(out);
        assertEquals(64, out.getWidth());
        String info = (String) out.getProperty("Info");
        assertTrue(info.contains("run(\"Generate in Style...\""), info);
        assertTrue(((String) out.getProp(Images.SETTINGS_PROPERTY)).contains("\"image_prompts\""));
        assertArrayEquals(before, (int[]) src.getProcessor().getPixels(), "the style image is never modified");

        src.setRoi(new Roi(10, 5, 40, 50)); // the object
        GenerateFromReference r = (GenerateFromReference) MacroBridge.run(ctx, GenerateFromReference.class,
                "reference=wave.png prompt=[a dog on a beach] reference_scale=0.6 width=64 height=64 steps=2 seed=3 adapter=["
                        + plus + "]" + files).getDelegateObject();
        assertNotNull(r.output());
        assertTrue(((String) r.output().getProperty("Info")).contains("run(\"Generate from Reference...\""));
        assertNotNull(WindowManager.getImage("wave.png"));
    }

    @Test
    void aMissingStyleImageIsNamed() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> MacroBridge.run(ctx, GenerateInStyle.class,
                "style=nothing.png prompt=[x] width=64 height=64 steps=1" + files));
        assertTrue(e.getMessage().contains("nothing.png"), e.getMessage());
    }
}
