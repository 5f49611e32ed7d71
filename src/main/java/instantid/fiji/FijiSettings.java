package instantid.fiji;

import instantid.pipeline.ModelPaths;
import instantid.pipeline.RuntimeOptions;

import java.nio.file.Files;
import java.nio.file.Path;

import org.scijava.prefs.PrefService;

/**
 * What the Fiji side remembers between sessions (through SciJava's {@link PrefService}): where the
 * models are and where they run. {@code modelFolder} is the InstantID download (a diffusers SDXL
 * folder with {@code ControlNetModel/} and {@code ip-adapter.bin} inside), {@code checkpoint} an
 * optional single-file SDXL checkpoint used instead of the folder's networks, {@code faceModels}
 * the folder with the detector and recogniser ONNX files, {@code lcmLora} the LCM-LoRA used by
 * fast mode. Two settings are equal exactly when the loaded models can be reused.
 */
public record FijiSettings(Path modelFolder, Path checkpoint, Path faceModels, Path lcmLora,
                           String device, String precision, String memory) {

    public static final String[] DEVICES = {"auto", "cpu", "gpu"};
    public static final String[] PRECISIONS = {"auto", "fp32", "fp16", "bf16"};
    public static final String[] MEMORY_MODES = {"auto", "full", "offload", "sequential"};

    public FijiSettings {
        device = device == null || device.isBlank() ? "auto" : device.trim();
        precision = precision == null || precision.isBlank() ? "auto" : precision.trim();
        memory = memory == null || memory.isBlank() ? "auto" : memory.trim();
        new RuntimeOptions(device, precision, memory); // validates all three, with a message naming the bad value
    }

    /** With the memory mode "auto". */
    public FijiSettings(Path modelFolder, Path checkpoint, Path faceModels, Path lcmLora, String device, String precision) {
        this(modelFolder, checkpoint, faceModels, lcmLora, device, precision, "auto");
    }

    public static final FijiSettings EMPTY = new FijiSettings(null, null, null, null, "auto", "auto");

    public ModelPaths modelPaths() {
        return ModelPaths.inFolder(modelFolder, checkpoint, faceModels);
    }

    public RuntimeOptions runtime() {
        return new RuntimeOptions(device, precision, memory);
    }

    /** Same pipeline models, device and precision: a loaded pipeline can be reused. */
    boolean samePipeline(FijiSettings o) {
        return o != null && java.util.Objects.equals(modelFolder, o.modelFolder)
                && java.util.Objects.equals(checkpoint, o.checkpoint)
                && device.equals(o.device) && precision.equals(o.precision) && memory.equals(o.memory);
    }

    /** Same face models and device: loaded face models can be reused. */
    boolean sameFaces(FijiSettings o) {
        return o != null && java.util.Objects.equals(faceModels, o.faceModels) && device.equals(o.device);
    }

    /** A message naming what is missing to generate (or null): checked before anything loads. */
    public String missingForGeneration() {
        String m = modelFolder == null && checkpoint == null
                ? "missing models:\n  no InstantID model folder is set" : modelPaths().missingForInstantId();
        String f = missingFaceModels();
        if (m == null && f == null) return null;
        String text = (m == null ? "missing models:" : m) + (f == null ? "" : "\n  " + f)
                + "\nSet the locations in Plugins > InstantID > Settings / Models...";
        return text.replace("(or --checkpoint FILE)", "(or a single-file checkpoint set in Settings / Models...)");
    }

    /** A message when the face model folder is not usable (or null). */
    public String missingFaceModels() {
        if (faceModels == null) return "face models: no folder is set (detector + recogniser .onnx files)";
        if (!Files.isDirectory(faceModels)) return "face models: folder " + faceModels + " does not exist";
        return null;
    }

    static FijiSettings load(PrefService prefs) {
        Class<?> k = FijiSettings.class;
        return new FijiSettings(path(prefs.get(k, "modelFolder", "")), path(prefs.get(k, "checkpoint", "")),
                path(prefs.get(k, "faceModels", "")), path(prefs.get(k, "lcmLora", "")),
                prefs.get(k, "device", "auto"), prefs.get(k, "precision", "auto"), prefs.get(k, "memory", "auto"));
    }

    void save(PrefService prefs) {
        Class<?> k = FijiSettings.class;
        prefs.put(k, "modelFolder", str(modelFolder));
        prefs.put(k, "checkpoint", str(checkpoint));
        prefs.put(k, "faceModels", str(faceModels));
        prefs.put(k, "lcmLora", str(lcmLora));
        prefs.put(k, "device", device);
        prefs.put(k, "precision", precision);
        prefs.put(k, "memory", memory);
    }

    /** "" or blank means "not set". */
    public static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    static String str(Path p) {
        return p == null ? "" : p.toString();
    }
}
