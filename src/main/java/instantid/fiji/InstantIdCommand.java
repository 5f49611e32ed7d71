package instantid.fiji;

import ij.IJ;

import java.util.concurrent.CancellationException;

import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

/**
 * What every InstantID command shares: it runs while no other InstantID command does (the service's
 * run lock: the models are shared, and a LoRA is fused into them for one run, so generations,
 * detections and Release Models take turns); bad input and failures end the command with a message
 * recorded as its cancel reason, which the front end shows ({@link CommandRunner} / the plug-in: an
 * ImageJ error dialog or the log, never a stack trace for a user error); a user cancel ends quietly
 * with {@link #CANCELLED}.
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

    /**
     * The "sampler" input's choices: every sampler the pipeline knows, {@link instantid.sample.Samplers#NAMES}
     * (the one list; an annotation's choices would have to repeat it as constants).
     */
    protected void offerSamplers() {
        org.scijava.module.MutableModuleItem<String> item = getInfo().getMutableInput("sampler", String.class);
        if (item != null) item.setChoices(instantid.sample.Samplers.NAMES);
    }

    /** The command's work; throw {@link instantid.common.UserException} (or IllegalArgumentException) for user-facing problems. */
    protected abstract void execute();

    @Override
    public final void run() {
        try {
            InstantIdService service = getContext() == null ? null : getContext().getService(InstantIdService.class);
            if (service == null) execute();
            else service.exclusive(() -> { execute(); return null; }, instantid.common.CancelToken.of(this::waitCancelled));
        } catch (CancellationException e) {
            IJ.showStatus("InstantID: cancelled");
            if (!isCanceled()) cancel(CANCELLED);
        } catch (instantid.common.UserException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            fail(e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            IJ.log("InstantID: " + getClass().getSimpleName() + " failed:\n" + trace);
            if (log != null) log.error("InstantID: " + getClass().getSimpleName() + " failed", e);
            fail(e.getClass().getSimpleName() + ": " + e.getMessage() + "\n(the details are in the Log window)");
        }
    }

    /** While waiting for another command to finish: Esc or a module cancel gives up. */
    private boolean waitCancelled() {
        return isCanceled() || IJ.escapePressed();
    }

    /** Ends the command with a message for the user (shown by the front end that started it). */
    protected void fail(String message) {
        String m = message == null || message.isBlank() ? "failed (no message)" : message;
        cancel(m);
        IJ.showStatus("");
    }

    /** Whether the user pressed cancel / Esc for this command. */
    protected boolean userCancelled() {
        return CANCELLED.equals(getCancelReason());
    }
}
