package instantid.fiji;

import ij.CommandListener;
import ij.Executer;
import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;
import org.scijava.widget.Button;

/**
 * Lets ImageJ's own macro interpreter run the InstantID SciJava commands where imagej-legacy is
 * absent (plain ImageJ with scijava-common, the tests). Inside Fiji it is never installed:
 * imagej-legacy already makes every SciJava command a macro command under its menu label.
 *
 * <p>How: an {@link CommandListener} (ImageJ's hook called for every {@code run("...")}
 * before the command table is consulted) claims the labels of our commands and runs them through
 * the Context's {@link ModuleService}. Nothing is added to {@code IJ_Props}, {@code plugins.config}
 * or {@link ij.Menus}' command table, so it can never create a (duplicate) menu entry.
 * {@link #install(Context)} refuses to install when the context has imagej-legacy.
 *
 * <p>Inputs are the macro options parsed with {@link Macro#getValue} under each parameter's name,
 * as strings (SciJava converts them to the parameter types, exactly as a macro line or
 * {@code --run} supplies them); a checkbox is true when its key is present; an input that the
 * macro does not name keeps the command's default (not the last dialog value), so a macro line
 * means the same thing every time. The {@code ImagePlus} input is the image named by
 * {@code image=title}, else the current image.
 */
public final class MacroBridge implements CommandListener {

    private static MacroBridge installed;

    private final Context context;
    private final Map<String, CommandInfo> byLabel = new LinkedHashMap<>();

    private MacroBridge(Context context) {
        this.context = context;
        for (CommandInfo info : context.service(CommandService.class).getCommands()) {
            if (info.getClassName().startsWith("instantid.fiji.") && info.getMenuPath() != null
                    && !info.getMenuPath().isEmpty()) {
                String label = info.getMenuPath().getLeaf().getName();
                byLabel.put(label, info);
                if (label.endsWith("...")) byLabel.put(label.substring(0, label.length() - 3), info);
                else byLabel.putIfAbsent(label + "...", info);
            }
        }
    }

    /** Installs the bridge for {@code context} (replacing an earlier one); false inside Fiji (legacy present). */
    public static synchronized boolean install(Context context) {
        if (hasLegacy(context)) return false;
        uninstall();
        headlessCommandTable();
        installed = new MacroBridge(context);
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
        }
    }

    private static boolean hasLegacy(Context context) {
        for (Service s : context.getServiceIndex().getAll()) {
            if (s.getClass().getName().startsWith("net.imagej.legacy.")) return true;
        }
        return false;
    }

    /** The labels this bridge answers to (menu leaf names, with and without "..."). */
    public List<String> labels() {
        return new ArrayList<>(byLabel.keySet());
    }

    @Override
    public String commandExecuting(String command) {
        CommandInfo info = byLabel.get(command);
        if (info == null) return command;
        String options = Macro.getOptions();
        try {
            run(context, info, options == null ? "" : options);
        } catch (CancellationException e) {
            IJ.showStatus("InstantID: cancelled");
            Macro.abort();
        } catch (IllegalArgumentException e) {
            if (!Gui.interactive()) IJ.error("InstantID", e.getMessage()); // inside a macro: aborts it with the message
            else Macro.abort();
        }
        return null;
    }

    /** Runs a command class with macro options; see {@link #run(Context, CommandInfo, String)}. */
    public static Module run(Context context, Class<?> command, String options) {
        CommandInfo info = context.service(CommandService.class).getCommand(command.getName());
        if (info == null) throw new IllegalArgumentException("not a SciJava command: " + command.getName());
        return run(context, info, options);
    }

    /**
     * Runs one command with the inputs of a macro options string, waits for it, and returns the
     * finished module. A command that failed throws IllegalArgumentException with its message; one
     * the user cancelled throws CancellationException.
     */
    public static Module run(Context context, CommandInfo info, String options) {
        ModuleService modules = context.service(ModuleService.class);
        Module module = modules.createModule(info);
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (ModuleItem<?> item : info.inputs()) {
            Class<?> type = item.getType();
            String name = item.getName();
            if (Service.class.isAssignableFrom(type) || Context.class.isAssignableFrom(type)) continue;
            if (Button.class.isAssignableFrom(type) || item.getVisibility() == ItemVisibility.MESSAGE) {
                module.resolveInput(name);
                continue;
            }
            if (ImagePlus.class.isAssignableFrom(type)) {
                ImagePlus imp = image(Macro.getValue(options, name, null));
                if (imp != null) {
                    module.setInput(name, imp);
                    module.resolveInput(name);
                } else if (item.isRequired()) {
                    throw new IllegalArgumentException(info.getMenuPath().getLeaf().getName()
                            + ": no image is open (open one, or name it with " + name + "=title)");
                }
                continue;
            }
            String value;
            if (type == boolean.class || type == Boolean.class) {
                value = String.valueOf(hasKey(options, name) || "true".equals(Macro.getValue(options, name, "false")));
            } else {
                value = Macro.getValue(options, name, null);
            }
            if (value != null) inputs.put(name, value); // converted to the parameter's type by ModuleService
            else module.resolveInput(name); // absent: the command's own default, not the last dialog value
        }
        java.util.Set<Integer> before = openImageIds();
        Module done;
        try {
            done = modules.run(module, true, inputs).get();
            activateNewImage(before);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException(c.getMessage() == null ? c.toString() : c.getMessage(), c);
        }
        Object command = done.getDelegateObject();
        if (command instanceof Cancelable c && c.isCanceled()) {
            String why = c.getCancelReason();
            if (why == null || InstantIdCommand.CANCELLED.equals(why)) throw new CancellationException(InstantIdCommand.CANCELLED);
            throw new IllegalArgumentException(why);
        }
        return done;
    }

    private static java.util.Set<Integer> openImageIds() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        int[] list = WindowManager.getIDList();
        if (list != null) for (int id : list) ids.add(id);
        return ids;
    }

    /**
     * The command ran on a SciJava worker thread, where {@code show()} made its output current; in
     * batch mode "current" is per thread, so make the newest new image current for the caller (the
     * macro's next getTitle()/saveAs() act on it, as after any ImageJ command that creates an image).
     */
    private static void activateNewImage(java.util.Set<Integer> before) {
        int[] list = WindowManager.getIDList();
        if (list == null) return;
        for (int i = list.length - 1; i >= 0; i--) {
            if (!before.contains(list[i])) {
                ImagePlus imp = WindowManager.getImage(list[i]);
                if (imp != null) {
                    WindowManager.setTempCurrentImage(imp);
                    if (imp.getWindow() != null) WindowManager.setCurrentWindow(imp.getWindow());
                }
                return;
            }
        }
    }

    private static ImagePlus image(String title) {
        if (title == null) return WindowManager.getCurrentImage();
        ImagePlus imp = WindowManager.getImage(title);
        if (imp == null) throw new IllegalArgumentException("no open image is called '" + title + "'");
        return imp;
    }

    /** A checkbox in ImageJ macro syntax: the bare key ("fast") among the options. */
    static boolean hasKey(String options, String key) {
        String o = " " + options + " ";
        return o.contains(" " + key + " ");
    }
}
