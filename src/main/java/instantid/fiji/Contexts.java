package instantid.fiji;

import java.util.List;

import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;
import org.scijava.prefs.PrefService;
import org.scijava.service.Service;

/**
 * The SciJava {@link Context} a menu command runs in: inside Fiji the application's own (imagej-legacy
 * answers {@code IJ.runPlugIn("org.scijava.Context", "")} with it), in plain ImageJ 1 one small
 * context of our own, made once with the plug-in's class loader (ImageJ's PluginClassLoader, which
 * sees plugins/*.jar and jars/*.jar, so the plugin index and DJL's natives are found).
 */
final class Contexts {

    /** The services a context of our own holds (with what they need). */
    static final List<Class<? extends Service>> SERVICES = List.of(CommandService.class, ModuleService.class,
            InstantIdService.class, PrefService.class, EventService.class, LogService.class);

    private static Context given;
    private static Context own;

    private Contexts() {
    }

    /** Uses {@code context} for menu commands from now on (the headless bridge, tests); null = back to the default. */
    static synchronized void use(Context context) {
        given = context;
    }

    static synchronized Context get() {
        if (given != null) return given;
        if (legacyPresent()) {
            Object c = ij.IJ.runPlugIn("org.scijava.Context", "");
            if (c instanceof Context ctx) return ctx;
        }
        if (own == null) own = create(Contexts.class.getClassLoader());
        return own;
    }

    /** Whether imagej-legacy (Fiji) is on the class path: then the application context exists. */
    static boolean legacyPresent() {
        try {
            Class.forName("net.imagej.legacy.LegacyService", false, Contexts.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static Context create(ClassLoader loader) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return new Context(SERVICES, new PluginIndex(new DefaultPluginFinder(loader)));
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
