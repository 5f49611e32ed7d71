package instantid.fiji;

import ij.ImagePlus;
import instantid.pipeline.ImagePrompt;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Generate from Reference: an object from an open image — select it (your
 * dog, your worn-down chair) — put into a new scene by the prompt, through IP-Adapter Plus
 * ({@code sdxl_models/ip-adapter-plus_sdxl_vit-h.safetensors} + {@code models/image_encoder},
 * ViT-H: the image's patch features via a Resampler, attended in every cross-attention). IP-Adapter
 * Plus takes no content subtraction (it reads hidden states, which have no text counterpart). A new
 * window; the source is never modified.
 */
@Plugin(type = Command.class, headless = true, initializer = "init")
public class GenerateFromReference extends ImagePromptCommand {


    @Parameter(label = "Reference image", description = "an open image; select the object in it (the whole image without a selection)")
    private String reference = "";

    @Parameter(label = "Reference_scale", min = "0", stepSize = "0.05",
            description = "how strongly the object's details are kept (0 = off; lower leaves the prompt more room)")
    private double reference_scale = 0.6;

    protected void init() {
        offerImages("reference", null);
        offerSamplers();
    }

    @Override
    protected void execute() {
        generate(reference, "reference");
    }

    @Override
    protected ImagePrompt imagePrompt(ImagePlus source, FijiSettings settings) {
        return ImagePromptSource.reference(source, adapter, encoder, settings, reference_scale);
    }

    @Override
    protected MacroLine ownInputs(MacroLine line) {
        return line.put("reference", reference).put("reference_scale", reference_scale);
    }

    @Override
    protected String titlePrefix() {
        return "Reference-";
    }
}
