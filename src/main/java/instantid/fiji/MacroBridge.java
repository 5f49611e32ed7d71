package instantid.fiji;

import ij.CommandListener;
import ij.Executer;

import java.util.ArrayList;
import java.util.List;

import org.scijava.Context;
import org.scijava.module.Module;
import org.scijava.service.Service;

/**
 * Lets ImageJ's macro interpreter reach the InstantID commands in a JVM where ImageJ built no
 * menus from {@code plugins.config} — headless, without imagej-legacy (the tests, a bare
 * {@code java -cp ... ij.ImageJ -batch} without a display). With a display ImageJ 1 installs the
 * menu entries itself and Fiji adds them through imagej-legacy, so the bridge is never needed there.
 *
 * <p>How: a {@link CommandListener} (ImageJ's hook called for every {@code run("...")} before the
 * command table is consulted) claims the labels of {@code plugins.config} (with or without the
 * trailing "...") and runs them exactly as the menu entry does ({@link InstantIdPlugIn}, in the
 * given Context). Nothing is added to ImageJ's command table, so it can never make a menu entry.
 */
public final class MacroBridge implements CommandListener {

    private static MacroBridge installed;

    private MacroBridge() {
    }

    /** Installs the bridge for {@code context} (replacing an earlier one); false inside Fiji (legacy present). */
    public static synchronized boolean install(Context context) {
        if (hasLegacy(context)) return false;
        uninstall();
        headlessCommandTable();
        Contexts.use(context);
        installed = new MacroBridge();
        Executer.addCommandListener(installed);
        return true;
    }

    /**
     * In a headless JVM without imagej-legacy's patches, {@code IJ.run} builds ImageJ's AWT menus on
     * first use and fails (HeadlessException). There, give ImageJ its command table without menus:
     * ImageJ's own commands read from its {@code IJ_Props.txt} ({@code key="Label",class("arg")}
     * lines, e.g. "PNG..." for saveAs), so {@code run()} and {@code saveAs()} work and our labels
     * reach the listener. Never done with a display (there ImageJ builds its real menus).
     */
    private static void headlessCommandTable() {
        if (!java.awt.GraphicsEnvironment.isHeadless() || ij.Menus.getCommands() != null) return;
        java.util.Hashtable<String, String> table = new java.util.Hashtable<>();
        try (java.io.InputStream in = ij.IJ.class.getResourceAsStream("/IJ_Props.txt")) {
            if (in != null) {
                java.util.regex.Pattern line = java.util.regex.Pattern.compile("^[a-z]+\\d+=\"([^\"]+)\",\\s*(\\S.*)$");
                for (String l : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).split("\\R")) {
                    java.util.regex.Matcher m = line.matcher(l.trim());
                    if (m.matches()) table.putIfAbsent(m.group(1), m.group(2).trim());
                }
            }
        } catch (java.io.IOException e) {
            // no built-in commands then; ours still work
        }
        try {
            java.lang.reflect.Field f = ij.Menus.class.getDeclaredField("pluginsTable");
            f.setAccessible(true);
            f.set(null, table);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot prepare ImageJ's command table headless: " + e, e);
        }
    }

    public static synchronized void uninstall() {
        if (installed != null) {
            Executer.removeCommandListener(installed);
            installed = null;
            Contexts.use(null);
        }
    }

    private static boolean hasLegacy(Context context) {
        for (Service s : context.getServiceIndex().getAll()) {
            if (s.getClass().getName().startsWith("net.imagej.legacy.")) return true;
        }
        return false;
    }

    /** The labels this bridge answers to (menu labels, with and without "..."). */
    public List<String> labels() {
        List<String> out = new ArrayList<>();
        for (MenuEntries.Entry e : MenuEntries.all()) {
            out.add(e.label());
            if (e.label().endsWith("...")) out.add(e.label().substring(0, e.label().length() - 3));
        }
        return out;
    }

    @Override
    public String commandExecuting(String command) {
        MenuEntries.Entry entry = MenuEntries.forLabel(command);
        if (entry == null) return command;
        new InstantIdPlugIn().run(entry.commandClass());
        return null;
    }

    /**
     * Runs a command class with macro options, as {@code run("Label", options)} would, and returns the
     * finished module. A command that failed throws {@link instantid.common.UserException} with its
     * message; one the user cancelled throws CancellationException.
     */
    public static Module run(Context context, Class<?> command, String options) {
        return CommandRunner.run(context, command.getName(), MenuEntries.labelOf(command), options == null ? "" : options);
    }

    /** A checkbox in ImageJ macro syntax: the bare key ("fast") among the options. */
    static boolean hasKey(String options, String key) {
        String o = " " + options + " ";
        return o.contains(" " + key + " ");
    }
}
