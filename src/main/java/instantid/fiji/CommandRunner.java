package instantid.fiji;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;

import instantid.common.UserException;

import java.util.Map;
import java.util.concurrent.CancellationException;

import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

/**
 * Runs one InstantID SciJava command the ImageJ 1 way — the single path of every menu click,
 * {@code run("…", "…")} line and {@code -batch} macro, in ImageJ 1 and in Fiji: on the calling thread
 * (ImageJ keys macro options, batch-mode images, Esc and the Recorder by thread), services injected,
 * the command's initializer run, then its inputs from the macro options or its dialog
 * ({@link CommandDialog}), then {@code run()}. The main {@code ImagePlus} input is the current image
 * (or {@code image=title} / {@code canvas=title} in a macro).
 */
public final class CommandRunner {

    private CommandRunner() {
    }

    /**
     * Runs {@code commandClass} under menu {@code label}. {@code options} are the macro options, or null
     * for the interactive dialog. Returns the finished module, or null when the dialog was cancelled.
     * Throws {@link UserException} (or IllegalArgumentException) with the message for the user when the
     * inputs or the run failed, and CancellationException when the user cancelled the run.
     */
    public static Module run(Context context, String commandClass, String label, String options) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(CommandRunner.class.getClassLoader()); // DJL finds its engine and natives through it
        try {
            return runHere(context, commandClass, label, options);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static Module runHere(Context context, String commandClass, String label, String options) {
        CommandInfo info = context.service(CommandService.class).getCommand(commandClass);
        if (info == null) {
            throw new IllegalStateException(commandClass + " is not in the SciJava plugin index of this installation");
        }
        Module module = context.service(ModuleService.class).createModule(info);
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            Class<?> type = item.getType();
            String name = item.getName();
            if (Context.class.isAssignableFrom(type)) {
                module.setInput(name, context);
                module.resolveInput(name);
            } else if (Service.class.isAssignableFrom(type)) {
                if (module.getInput(name) == null) {
                    @SuppressWarnings("unchecked")
                    Service s = context.getService((Class<? extends Service>) type);
                    if (s == null && item.isRequired()) throw new IllegalStateException(label + " needs " + type.getName());
                    module.setInput(name, s);
                }
                module.resolveInput(name);
            } else if (ImagePlus.class.isAssignableFrom(type)) {
                ImagePlus imp = image(options == null ? null : Macro.getValue(options, name, null));
                if (imp == null && item.isRequired()) {
                    throw new UserException(label + ": no image is open — open one first"
                            + (options == null ? "" : " (or name it with " + name + "=title)"));
                }
                module.setInput(name, imp);
                module.resolveInput(name);
            }
        }
        try {
            module.initialize(); // the command's initializer: choices of open images, stored settings
        } catch (org.scijava.module.MethodCallException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof RuntimeException r) throw r;
            throw new IllegalStateException(label + ": " + c, c);
        }
        Map<String, Object> values;
        if (options != null || !ErrorReport.windowed()) {
            values = CommandDialog.fromMacro(module, options == null ? "" : options);
        } else {
            String title = label.endsWith("...") ? label.substring(0, label.length() - 3) : label;
            values = CommandDialog.fields(module).isEmpty() ? Map.of()
                    : CommandDialog.fromDialog(module, "InstantID: " + title, CommandHelp.html(module, label));
            if (values == null) {
                if (ij.plugin.frame.Recorder.record) ij.plugin.frame.Recorder.setCommand(null); // a cancelled dialog records nothing
                return null;
            }
        }
        for (Map.Entry<String, Object> v : values.entrySet()) {
            module.setInput(v.getKey(), v.getValue());
            module.resolveInput(v.getKey());
        }
        for (ModuleItem<?> item : CommandDialog.fields(module)) module.resolveInput(item.getName());

        java.util.Set<Integer> open = openImageIds();
        module.run();
        activateNewImage(open);
        Object command = module.getDelegateObject();
        if (command instanceof Cancelable c && c.isCanceled()) {
            String why = c.getCancelReason();
            if (why == null || InstantIdCommand.CANCELLED.equals(why)) throw new CancellationException(InstantIdCommand.CANCELLED);
            throw new UserException(why);
        }
        return module;
    }

    private static ImagePlus image(String title) {
        if (title == null) return WindowManager.getCurrentImage();
        ImagePlus imp = WindowManager.getImage(title);
        if (imp == null) throw new UserException("no open image is called '" + title + "'");
        return imp;
    }

    private static java.util.Set<Integer> openImageIds() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        int[] list = WindowManager.getIDList();
        if (list != null) for (int id : list) ids.add(id);
        return ids;
    }

    /** The newest image the command made becomes current (the macro's next getTitle()/saveAs() act on it). */
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
}
