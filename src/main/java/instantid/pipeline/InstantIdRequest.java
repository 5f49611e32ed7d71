package instantid.pipeline;

import java.util.List;
import java.util.Map;

/**
 * An InstantID generation: the SDXL settings, one identity (or several, each in its region), the
 * fraction of steps in which IdentityNet acts ({@code controlStart}..{@code controlEnd}), and
 * optional per-block multipliers of the IP scale (InstantStyle: e.g. only
 * {@code up_blocks.0.attentions.1}); an empty map means every block at full scale; the app's
 * "enhance non-face region" (on by default: for one identity with a face box, IdentityNet's
 * residuals and the IP attention act only inside the box, see {@link FaceRegionMask}); and image
 * prompts (a style reference through an IP-Adapter SDXL) acting beside the identities, each with
 * its own scale and blocks.
 */
public record InstantIdRequest(GenerationSettings generation, List<Identity> identities,
                               double controlStart, double controlEnd,
                               Map<String, Double> ipBlockScales, boolean enhanceFaceRegion,
                               List<ImagePrompt> imagePrompts) {

    public InstantIdRequest {
        identities = List.copyOf(identities);
        ipBlockScales = ipBlockScales == null ? Map.of() : Map.copyOf(ipBlockScales);
        imagePrompts = imagePrompts == null ? List.of() : List.copyOf(imagePrompts);
        // the generation settings and image prompts checked themselves; the rest is checked here, once
        if (generation == null) throw new IllegalArgumentException("no generation settings");
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("no identity: give at least one face");
        }
        if (!(controlStart >= 0 && controlStart <= controlEnd && controlEnd <= 1)) {
            throw new IllegalArgumentException("IdentityNet start/end = " + controlStart + "/" + controlEnd
                    + ": use 0 <= start <= end <= 1");
        }
        for (Identity id : identities) {
            if (!(id.ipScale() >= 0) || !(id.identityNetScale() >= 0)) {
                throw new IllegalArgumentException("IP scale and IdentityNet scale must be >= 0");
            }
        }
    }

    /** With "enhance non-face region" on, as the app's default, and no image prompts. */
    public InstantIdRequest(GenerationSettings generation, List<Identity> identities, double controlStart,
                            double controlEnd, Map<String, Double> ipBlockScales) {
        this(generation, identities, controlStart, controlEnd, ipBlockScales, true);
    }

    /** Without image prompts. */
    public InstantIdRequest(GenerationSettings generation, List<Identity> identities, double controlStart,
                            double controlEnd, Map<String, Double> ipBlockScales, boolean enhanceFaceRegion) {
        this(generation, identities, controlStart, controlEnd, ipBlockScales, enhanceFaceRegion, List.of());
    }

    /** The same request with image prompts (InstantID + a style reference). */
    public InstantIdRequest withImagePrompts(List<ImagePrompt> prompts) {
        return new InstantIdRequest(generation, identities, controlStart, controlEnd, ipBlockScales, enhanceFaceRegion,
                prompts);
    }

    public InstantIdRequest withGeneration(GenerationSettings g) {
        return new InstantIdRequest(g, identities, controlStart, controlEnd, ipBlockScales, enhanceFaceRegion, imagePrompts);
    }

    public InstantIdRequest withEnhanceFaceRegion(boolean on) {
        return new InstantIdRequest(generation, identities, controlStart, controlEnd, ipBlockScales, on, imagePrompts);
    }

    /**
     * Whether the face-box mask of the app's "enhance non-face region" applies: asked for, one
     * identity on the whole canvas (several identities keep their regional masks), and a face box.
     */
    public boolean enhancesFaceRegion() {
        int w = generation.width(), h = generation.height();
        return enhanceFaceRegion && !Regions.masked(identities, w, h) && identities.get(0).faceBox() != null;
    }

    public static InstantIdRequest single(GenerationSettings g, Identity id) {
        return new InstantIdRequest(g, List.of(id), 0.0, 1.0, Map.of());
    }

    /** Checks that the files the request names exist (LoRAs, image-prompt adapters), once per run before a model loads. */
    public void requireFiles() {
        generation.requireFiles();
        for (ImagePrompt p : imagePrompts) p.requireFiles();
    }
}
