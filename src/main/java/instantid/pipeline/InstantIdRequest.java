package instantid.pipeline;

import java.util.List;
import java.util.Map;

/**
 * An InstantID generation: the SDXL settings, one identity (or several, each in its region), the
 * fraction of steps in which IdentityNet acts ({@code controlStart}..{@code controlEnd}), and
 * optional per-block multipliers of the IP scale (InstantStyle: e.g. only
 * {@code up_blocks.0.attentions.1}); an empty map means every block at full scale.
 */
public record InstantIdRequest(GenerationSettings generation, List<Identity> identities,
                               double controlStart, double controlEnd,
                               Map<String, Double> ipBlockScales) {

    public InstantIdRequest {
        identities = List.copyOf(identities);
        ipBlockScales = ipBlockScales == null ? Map.of() : Map.copyOf(ipBlockScales);
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
    }
}
