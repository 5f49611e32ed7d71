package instantid.pipeline;

import java.util.List;
import java.util.Map;

/**
 * An InstantID generation: the SDXL settings, one identity (or several, each in its region), the
 * fraction of steps in which IdentityNet acts ({@code controlStart}..{@code controlEnd}), and
 * optional per-block multipliers of the IP scale (InstantStyle: e.g. only
 * {@code up_blocks.0.attentions.1}); an empty map means every block at full scale. Image prompts (a
 * style reference through an IP-Adapter SDXL) act beside the identities, each with its own
 * scale and blocks.
 */
public record InstantIdRequest(GenerationSettings generation, List<Identity> identities,
                               double controlStart, double controlEnd,
                               Map<String, Double> ipBlockScales, List<ImagePrompt> imagePrompts) {

    public InstantIdRequest {
        identities = List.copyOf(identities);
        ipBlockScales = ipBlockScales == null ? Map.of() : Map.copyOf(ipBlockScales);
        imagePrompts = imagePrompts == null ? List.of() : List.copyOf(imagePrompts);
    }

    /** Without image prompts. */
    public InstantIdRequest(GenerationSettings generation, List<Identity> identities, double controlStart,
                            double controlEnd, Map<String, Double> ipBlockScales) {
        this(generation, identities, controlStart, controlEnd, ipBlockScales, List.of());
    }

    /** The same request with image prompts (InstantID + a style reference). */
    public InstantIdRequest withImagePrompts(List<ImagePrompt> prompts) {
        return new InstantIdRequest(generation, identities, controlStart, controlEnd, ipBlockScales, prompts);
    }

    public static InstantIdRequest single(GenerationSettings g, Identity id) {
        return new InstantIdRequest(g, List.of(id), 0.0, 1.0, Map.of());
    }

    public void validate() {
        generation.validate();
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
        for (ImagePrompt p : imagePrompts) p.validate();
    }
}
