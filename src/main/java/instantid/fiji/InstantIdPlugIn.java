package instantid.fiji;

import ij.IJ;
import ij.Macro;
import ij.plugin.PlugIn;

import instantid.common.UserException;

import java.util.concurrent.CancellationException;

/**
 * The ImageJ 1 plug-in behind every Plugins › InstantID entry ({@code plugins.config} names it with
 * the SciJava command class as argument): runs that command through {@link CommandRunner} in the
 * SciJava context of this ImageJ ({@link Contexts}) and reports failures the ImageJ way
 * ({@link ErrorReport}). The same class serves plain ImageJ 1 and Fiji.
 */
public class InstantIdPlugIn implements PlugIn {

    @Override
    public void run(String commandClass) {
        String label = commandClass;
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        // ImageJ's PluginClassLoader sees our jars; DJL (engine discovery, natives) and SciJava look through this one
        t.setContextClassLoader(InstantIdPlugIn.class.getClassLoader());
        try {
            MenuEntries.Entry entry = MenuEntries.forCommand(commandClass);
            if (entry != null) label = entry.label();
            CommandRunner.run(Contexts.get(), commandClass, label, Macro.getOptions());
        } catch (CancellationException e) {
            IJ.showStatus("InstantID: cancelled");
            if (Macro.getOptions() != null) Macro.abort();
        } catch (UserException | IllegalArgumentException e) {
            ErrorReport.userError(e.getMessage());
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            if (e instanceof RuntimeException r && Macro.MACRO_CANCELED.equals(r.getMessage())) throw r;
            ErrorReport.unexpected(label, e);
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
