package instantid.fiji;

import ij.IJ;

import instantid.pipeline.Preview;
import instantid.pipeline.Progress;

import org.scijava.Cancelable;
import org.scijava.event.EventService;

/**
 * {@link Progress} for a Fiji command: status bar and progress bar ("loading models", "step
 * k/n"), the preview window every {@code previewEvery} steps (when asked for and a GUI exists),
 * a {@link StepEvent} per step, and cancel from the command ({@link Cancelable}) or Esc.
 */
final class FijiProgress implements Progress, AutoCloseable {

    private final Cancelable command;
    private final EventService events;
    private final PreviewWindow preview;
    private final int previewEvery;
    private final int images;
    private volatile boolean escaped;

    FijiProgress(Cancelable command, EventService events, boolean wantPreview, int width, int height, int images) {
        this.command = command;
        this.events = events;
        this.preview = wantPreview && PreviewWindow.possible() ? new PreviewWindow(width, height) : null;
        this.previewEvery = 2;
        this.images = Math.max(1, images);
        IJ.resetEscape();
    }

    @Override
    public void status(String message) {
        IJ.showStatus(message);
    }

    @Override
    public void step(int image, int step, int total, Preview p) {
        String label = (images > 1 ? "image " + (image + 1) + "/" + images + ", " : "") + "step " + step + "/" + total;
        IJ.showStatus("InstantID: " + label);
        IJ.showProgress((double) (image * total + step) / ((double) images * total));
        if (preview != null && p != null) preview.show(p, label);
        if (events != null) events.publish(new StepEvent(command, image, step, total));
    }

    @Override
    public boolean wantsPreview() {
        return preview != null;
    }

    /** Cancel from the command (module cancel) or from Esc in ImageJ. */
    @Override
    public boolean cancelled() {
        if (IJ.escapePressed()) escaped = true;
        return escaped || (command != null && command.isCanceled());
    }

    /** Clears the bars and closes the preview (every run ends here, finished or not). */
    @Override
    public void close() {
        if (preview != null) preview.close();
        IJ.showProgress(1.0);
        IJ.showStatus("");
    }
}
