package instantid.fiji;

import instantid.models.CudaHost;
import instantid.models.GpuNatives;
import instantid.models.NativesActivation;
import instantid.models.NativesRecord;
import instantid.models.Progress;

import java.util.concurrent.CancellationException;

/**
 * Settings / Models › "GPU support...": one click installs DJL's CUDA natives (after showing what
 * the driver probe found and asking), on a background thread with bytes / rate / time left in the
 * status bar, Esc cancelling between chunks (a later click resumes); when they are installed the
 * same click offers to remove them. Either takes effect at the next Fiji start.
 */
final class GpuSupport {

    private GpuSupport() {
    }

    static void toggle() {
        GpuNatives natives = GpuNatives.standard();
        NativesRecord rec;
        try {
            rec = natives.installed();
        } catch (java.io.IOException e) {
            rec = null;
        }
        NativesActivation now = NativesActivation.last();
        String inUse = now == null ? "" : "\nNow: " + now.message();
        if (rec != null) {
            if (!ij.IJ.showMessageWithCancel("InstantID: GPU support", "GPU support is installed in " + natives.folder()
                    + " (" + Progress.bytes(rec.totalBytes()) + ")." + inUse
                    + "\n\nRemove it? The bundled CPU natives are used from the next start of Fiji.")) {
                return;
            }
            try {
                natives.uninstall();
                ij.IJ.showMessage("InstantID", "GPU support removed. Restart Fiji to run on the CPU natives.");
            } catch (java.io.IOException e) {
                ij.IJ.error("InstantID", "Could not remove " + natives.folder() + ": " + e.getMessage());
            }
            return;
        }
        CudaHost host = CudaHost.probe();
        String no = host.unsupportedReason();
        if (no == null && !natives.platformSupported()) no = "DJL publishes no CUDA natives for " + natives.classifier();
        if (no != null) {
            ij.IJ.error("InstantID: GPU support", host.describe() + "\nGPU support cannot be installed: " + no);
            return;
        }
        if (!ij.IJ.showMessageWithCancel("InstantID: GPU support", host.describe() + inUse
                + "\n\nDownload PyTorch CUDA 12.8 natives (about 2-3 GB) from " + natives.base() + " into\n"
                + natives.folder() + "?\nEsc cancels; clicking again later resumes. Used from the next start of Fiji.")) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                NativesRecord r = natives.install(p -> {
                    ij.IJ.showStatus("InstantID GPU natives: " + p.line());
                    ij.IJ.showProgress(p.fraction());
                }, ij.IJ::log, instantid.common.CancelToken.of(ij.IJ::escapePressed));
                ij.IJ.showMessage("InstantID", "GPU support installed (" + r.files().size() + " files, "
                        + Progress.bytes(r.totalBytes()) + ", SHA-256 recorded and checked at every start).\n"
                        + "Restart Fiji to use the GPU; Settings / Models > Check shows what runs where.");
            } catch (CancellationException e) {
                ij.IJ.showStatus("InstantID: GPU natives download cancelled (it resumes next time)");
            } catch (Exception e) {
                ij.IJ.error("InstantID", "GPU support download failed: " + e.getMessage());
            } finally {
                ij.IJ.showProgress(1.0);
            }
        }, "InstantID GPU natives download");
        t.setDaemon(true);
        t.start();
    }
}
