package instantid.fiji;

import java.io.File;

import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.Button;
import org.scijava.widget.FileWidget;

/**
 * Plugins › InstantID › Settings / Models: model locations, device, precision (persisted), and
 * "Release models" to free memory now. Changing a path, the device or the precision makes the
 * next run reload; nothing loads here.
 */
@Plugin(type = Command.class, headless = true, initializer = "init",
        description = "Where the models are, and the device and precision they run with (saved for the next session).")
public class ModelSettings extends InstantIdCommand {


    @Parameter
    private InstantIdService instantId;

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
    private String header = "InstantID models (the insightface face models are for non-commercial use only)";

    @Parameter(label = "Models folder (InstantID)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false,
            description = "SDXL in diffusers layout with ControlNetModel/ and ip-adapter.bin inside")
    private File models;

    @Parameter(label = "Checkpoint (optional SDXL .safetensors)", style = FileWidget.OPEN_STYLE, required = false, persist = false,
            description = "a single-file SDXL checkpoint used instead of the folder's networks")
    private File checkpoint;

    @Parameter(label = "Faces folder (face models)", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false,
            description = "the folder with the detector and recogniser .onnx files (antelopev2)")
    private File faces;

    @Parameter(label = "LCM_LoRA (fast mode)", style = FileWidget.OPEN_STYLE, required = false, persist = false,
            description = "lcm-lora-sdxl pytorch_lora_weights.safetensors")
    private File lcm_lora;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"}, persist = false,
            description = "auto: the GPU when CUDA is found, else the CPU")
    private String device = "auto";

    @Parameter(label = "Precision", choices = {"auto", "fp32", "fp16", "bf16"}, persist = false,
            description = "auto: fp16 on a CUDA GPU, fp32 on the CPU")
    private String precision = "auto";

    @Parameter(label = "Memory", choices = {"auto", "full", "offload", "sequential"}, persist = false,
            description = "full: all networks resident; offload: each stage's only while it runs; sequential: block by block")
    private String memory = "auto";

    @Parameter(label = "Release models now", persist = false, description = "free the loaded models' memory")
    private boolean release = false;

    @Parameter(label = "Download models...", callback = "download", persist = false)
    private Button downloadButton;

    @Parameter(label = "GPU support (install / remove)...", callback = "gpu", persist = false)
    private Button gpuButton;

    @Parameter(label = "Check: what runs where (self-test)...", callback = "check", persist = false)
    private Button checkButton;

    protected void init() {
        FijiSettings s = instantId.settings();
        try {
            instantid.models.NativesActivation.atStart(); // before the engine loads
            header = "Engine in use: " + instantid.models.NativeInfo.probe().line()
                    + " — the insightface face models are for non-commercial use only";
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            header = "Engine not loaded (" + e.getMessage() + ") — the insightface face models are for non-commercial use only";
        }
        models = file(s.modelFolder());
        checkpoint = file(s.checkpoint());
        faces = file(s.faceModels());
        lcm_lora = file(s.lcmLora());
        device = s.device();
        precision = s.precision();
        memory = s.memory();
    }

    @Override
    protected void execute() {
        FijiSettings s = new FijiSettings(path(models), path(checkpoint), path(faces), path(lcm_lora), device, precision, memory);
        instantId.setSettings(s);
        if (release) instantId.release();
        ij.IJ.showStatus("InstantID: settings saved" + (release ? ", models released" : ""));
    }

    /**
     * The Download button: the model manager's report and licence notes first (the insightface
     * models are non-commercial), then every missing file into the models folder on a background
     * thread, with bytes / rate / time left in the status bar; Esc cancels between chunks (the
     * {@code .part} is kept and the next Download resumes). Afterwards the locations above point
     * at the downloaded files.
     */
    protected void download() {
        final instantid.models.ModelManager mm;
        try {
            mm = instantid.models.ModelManager.open();
        } catch (java.io.IOException e) {
            ij.IJ.error("InstantID", "Cannot open the models folder: " + e.getMessage());
            return;
        }
        java.util.List<instantid.models.ModelFile> todo = mm.toDownload();
        if (todo.isEmpty()) {
            useManagerLocations(mm);
            ij.IJ.showMessage("InstantID", "Everything InstantID needs is in " + mm.folder());
            return;
        }
        StringBuilder msg = new StringBuilder(mm.report());
        msg.append("\nDownload ").append(todo.size()).append(" files now? (Esc cancels; a later Download resumes.)");
        if (!ij.IJ.showMessageWithCancel("InstantID: download models", msg.toString())) return;
        Thread t = new Thread(() -> {
            instantid.models.Downloader d = new instantid.models.Downloader(mm.hub());
            try {
                mm.download(d, p -> {
                    ij.IJ.showStatus("InstantID: " + p.line());
                    ij.IJ.showProgress(p.fraction());
                }, instantid.common.CancelToken.of(ij.IJ::escapePressed));
                useManagerLocations(mm);
                ij.IJ.showStatus("InstantID: models downloaded to " + mm.folder());
            } catch (java.util.concurrent.CancellationException e) {
                ij.IJ.showStatus("InstantID: download cancelled (it resumes next time)");
            } catch (Exception e) {
                ij.IJ.error("InstantID", "Download failed: " + e.getMessage());
            } finally {
                ij.IJ.showProgress(1.0);
            }
        }, "InstantID model download");
        t.setDaemon(true);
        t.start();
    }

    /** The GPU support button: install DJL's CUDA natives, or remove them (see {@link GpuSupport}). */
    protected void gpu() {
        GpuSupport.toggle();
    }

    /** The Check button: the doctor's report for the settings shown, self-test included, in a log window. */
    protected void check() {
        instantid.pipeline.RuntimeOptions o = new instantid.pipeline.RuntimeOptions(device, precision, memory);
        Thread t = new Thread(() -> {
            ij.IJ.showStatus("InstantID: checking the device (self-test)...");
            instantid.doctor.Doctor d = instantid.doctor.Doctor.examine(o, 1024, 1024, true);
            ij.IJ.log("InstantID check\n" + d.text());
            if (!d.ok()) ij.IJ.error("InstantID", "The chosen device does not work: " + d.failure());
            ij.IJ.showStatus("InstantID: check " + (d.ok() ? "passed" : "FAILED") + " (see the Log window)");
        }, "InstantID check");
        t.setDaemon(true);
        t.start();
    }

    /** Points the settings at the model manager's files (keeping device, precision and LCM-LoRA). */
    private void useManagerLocations(instantid.models.ModelManager mm) {
        FijiSettings s = instantId.settings();
        java.nio.file.Path detector = mm.location(instantid.models.Role.FACE_DETECTOR);
        instantId.setSettings(new FijiSettings(mm.location(instantid.models.Role.BASE), s.checkpoint(),
                detector == null ? s.faceModels() : detector.getParent(), s.lcmLora(), s.device(), s.precision(), s.memory()));
    }

    private static File file(java.nio.file.Path p) {
        return p == null ? null : p.toFile();
    }

    private static java.nio.file.Path path(File f) {
        return f == null || f.getPath().isBlank() ? null : f.toPath();
    }
}
