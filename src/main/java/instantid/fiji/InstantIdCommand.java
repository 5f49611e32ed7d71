package instantid.fiji;

import ij.IJ;

import java.util.concurrent.CancellationException;

import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

/**
 * What every InstantID command shares: bad input and failures end the command with a message
 * (an {@code IJ.error} dialog in the GUI, the log when headless; never a stack trace in a
 * dialog), recorded as the cancel reason so callers (the macro bridge, scripts) see it; a user
 * cancel ends quietly with {@link #CANCELLED}.
 */
public abstract class InstantIdCommand extends DynamicCommand {

    /** The cancel reason of a run stopped by the user (Esc, the cancel button, module cancel). */
    public static final String CANCELLED = "InstantID: cancelled by the user";

    @Parameter(required = false)
    protected LogService log;

    /** Choices listing the open images (plus {@code first}), for inputs naming a second image. */
    protected void offerImages(String input, String first) {
        java.util.List<String> titles = new java.util.ArrayList<>();
        if (first != null) titles.add(first);
        String[] open = ij.WindowManager.getImageTitles();
        titles.addAll(java.util.Arrays.asList(open));
        if (titles.isEmpty()) return;
        org.scijava.module.MutableModuleItem<String> item = getInfo().getMutableInput(input, String.class);
        if (item != null) item.setChoices(titles);
    }

    /** The command's work; throw IllegalArgumentException / IllegalStateException for user-facing problems. */
    protected abstract void execute();

    @Override
    public final void run() {
        try {
            execute();
        } catch (CancellationException e) {
            IJ.showStatus("InstantID: cancelled");
            if (!isCanceled()) cancel(CANCELLED);
        } catch (instantid.common.UserException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            fail(e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            if (log != null) log.error("InstantID: " + getClass().getSimpleName() + " failed", e);
            fail(e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "\n(the details are in the log / Console window)");
        }
    }

    /** Ends the command with a message for the user. */
    protected void fail(String message) {
        String m = message == null || message.isBlank() ? "failed (no message)" : message;
        cancel(m);
        IJ.showStatus("");
        if (Gui.interactive()) {
            IJ.error("InstantID", m);
        } else if (log != null) {
            log.error("InstantID: " + m);
        }
    }

    /** Whether the user pressed cancel / Esc for this command. */
    protected boolean userCancelled() {
        return CANCELLED.equals(getCancelReason());
    }
}
