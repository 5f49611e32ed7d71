package instantid.fiji;

import ij.ImagePlus;
import instantid.pipeline.ImagePrompt;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Generate in Style: text-to-image in the style of an open image (or of its
 * selection), as InstantStyle: the image's CLIP features through IP-Adapter SDXL
 * ({@code sdxl_models/ip-adapter_sdxl.safetensors} + {@code sdxl_models/image_encoder}, ViT-bigG)
 * into the style block only (or style + layout, or every block), with an optional content prompt
 * naming what the style image shows, subtracted so its content does not leak. A new window; the
 * source is never modified.
 */
@Plugin(type = Command.class, headless = true, initializer = "init")
public class GenerateInStyle extends ImagePromptCommand {


    @Parameter(label = "Style image", description = "an open image (its selection, if any) whose style is taken")
    private String style = "";

    @Parameter(label = "Style_scale", min = "0", stepSize = "0.05", description = "0 = no style; 1 = InstantStyle's default")
    private double style_scale = 1.0;

    @Parameter(label = "Blocks (style blocks)", choices = {"style", "style+layout", "all"},
            description = "style: up_blocks.0.attentions.1 only (InstantStyle); style+layout: also down_blocks.2.attentions.1; all: plain IP-Adapter")
    private String blocks = "style";

    @Parameter(label = "Content prompt", required = false,
            description = "what the style image shows ('a cat'): subtracted from its embedding so the content does not leak")
    private String content = "";

    @Parameter(label = "Content_scale", min = "0", stepSize = "0.05")
    private double content_scale = 0.5;

    protected void init() {
        offerImages("style", null);
        offerSamplers();
    }

    @Override
    protected void execute() {
        generate(style, "style");
    }

    @Override
    protected ImagePrompt imagePrompt(ImagePlus source, FijiSettings settings) {
        return ImagePromptSource.style(source, adapter, encoder, settings, style_scale, blocks, content, content_scale);
    }

    @Override
    protected MacroLine ownInputs(MacroLine line) {
        return line.put("style", style).put("style_scale", style_scale).put("blocks", blocks)
                .put("content", content == null || content.isEmpty() ? null : content).put("content_scale", content_scale);
    }

    @Override
    protected String titlePrefix() {
        return "InstantStyle-";
    }
}
