package instantid.fiji;

import instantid.sample.Samplers;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.plugin.Parameter;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One sampler list: every command's "sampler" input offers exactly {@link Samplers#NAMES} (what the
 * pipeline and the CLI accept) after its initializer, and no annotation repeats a list of its own.
 */
class SamplerChoicesTest {

    @Test
    void everySamplerInputOffersThePipelinesList() throws Exception {
        List<String> checked = new ArrayList<>();
        try (Context ctx = new Context(CommandService.class, ModuleService.class, InstantIdService.class,
                org.scijava.prefs.PrefService.class, org.scijava.event.EventService.class, org.scijava.log.LogService.class)) {
            for (CommandInfo info : ctx.service(CommandService.class).getCommands()) {
                if (!info.getClassName().startsWith("instantid.") || info.getInput("sampler") == null) continue;
                Module m = ctx.service(ModuleService.class).createModule(info);
                m.initialize();
                ModuleItem<?> item = m.getInfo().getInput("sampler");
                assertEquals(Samplers.NAMES, item.getChoices(), info.getClassName());
                checked.add(info.getClassName());
            }
        }
        for (Class<?> c : List.of(GenerateFromFace.class, SeedSweepCommand.class, ComposeIdentities.class,
                GenerateInStyle.class, GenerateFromReference.class)) {
            assertTrue(checked.contains(c.getName()), "checked " + checked);
        }
        assertNoAnnotatedChoices(GenerateFromFace.class);
        assertNoAnnotatedChoices(ComposeIdentities.class);
        assertNoAnnotatedChoices(ImagePromptCommand.class);
    }

    private static void assertNoAnnotatedChoices(Class<?> c) throws Exception {
        Field f = c.getDeclaredField("sampler");
        assertEquals(0, f.getAnnotation(Parameter.class).choices().length,
                c.getSimpleName() + ".sampler: the choices come from Samplers.NAMES (offerSamplers), not the annotation");
    }
}
