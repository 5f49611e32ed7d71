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
@Plugin(type = Command.class, menuPath = "Plugins>InstantID>Settings / Models", headless = true, initializer = "init")
public class ModelSettings extends InstantIdCommand {

    public static final String LABEL = "Settings / Models";

    @Parameter
    private InstantIdService instantId;

    @Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
    private String header = "InstantID models (the insightface face models are for non-commercial use only)";

    @Parameter(label = "InstantID model folder", style = FileWidget.DIRECTORY_STYLE, required = false,
            description = "SDXL in diffusers layout with ControlNetModel/ and ip-adapter.bin inside")
    private File models;

    @Parameter(label = "SDXL checkpoint (optional)", style = FileWidget.OPEN_STYLE, required = false)
    private File checkpoint;

    @Parameter(label = "Face model folder", style = FileWidget.DIRECTORY_STYLE, required = false)
    private File faces;

    @Parameter(label = "LCM-LoRA (fast mode)", style = FileWidget.OPEN_STYLE, required = false)
    private File lcm_lora;

    @Parameter(label = "Device", choices = {"auto", "cpu", "gpu"})
    private String device = "auto";

    @Parameter(label = "Precision", choices = {"fp32", "fp16", "bf16"})
    private String precision = "fp32";

    @Parameter(label = "Release models now")
    private boolean release = false;

    @Parameter(label = "Download models...", callback = "download")
    private Button downloadButton;

    protected void init() {
        FijiSettings s = instantId.settings();
        models = file(s.modelFolder());
        checkpoint = file(s.checkpoint());
        faces = file(s.faceModels());
        lcm_lora = file(s.lcmLora());
        device = s.device();
        precision = s.precision();
    }

    @Override
    protected void execute() {
        FijiSettings s = new FijiSettings(path(models), path(checkpoint), path(faces), path(lcm_lora), device, precision);
        instantId.setSettings(s);
        if (release) instantId.release();
        ij.IJ.showStatus("InstantID: settings saved" + (release ? ", models released" : ""));
    }

    /**
     * HOOK(distribution): the Download button. Branch {@code distribution} brings
     * {@code instantid.models.ModelManager}; wire it here (show the licence note, download with
     * progress + cancel, then fill the locations above from its roles). No downloader lives here.
     */
    protected void download() {
        ij.IJ.showMessage("InstantID", "Downloading is provided by the model manager (not in this build yet).\n"
                + "Download InstantX/InstantID and an SDXL base by hand and set the folders here.");
    }

    private static File file(java.nio.file.Path p) {
        return p == null ? null : p.toFile();
    }

    private static java.nio.file.Path path(File f) {
        return f == null || f.getPath().isBlank() ? null : f.toPath();
    }
}
