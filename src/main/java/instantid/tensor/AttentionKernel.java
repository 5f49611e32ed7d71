package instantid.tensor;

import java.util.Locale;

/**
 * How {@link Ops#attention} computes: {@code FUSED} calls libtorch's
 * {@code scaled_dot_product_attention} (the score matrix is never materialised; see
 * {@link FusedAttention}), {@code COMPOSED} multiplies, softmaxes and multiplies in DJL ops with the
 * query axis chunked under {@link Ops#attentionBudgetBytes}. Both give the same values to float
 * rounding; fused is the default and the composed one is kept as the fallback and for the bench.
 */
public enum AttentionKernel {
    FUSED, COMPOSED;

    /** Whether this kernel is fused and the fused module could be loaded. */
    public boolean runsFused() {
        return this == FUSED && FusedAttention.available();
    }

    /** What actually runs, for settings and the bench: "fused", "composed" or "composed (why)". */
    public String effective() {
        if (this == COMPOSED) return "composed";
        return FusedAttention.available() ? "fused" : "composed (fused unavailable: " + FusedAttention.failure() + ")";
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code -Dinstantid.attention=composed|fused}; fused when unset or unknown. */
    static AttentionKernel fromProperty() {
        String p = System.getProperty("instantid.attention", "fused");
        return p.equalsIgnoreCase("composed") ? COMPOSED : FUSED;
    }

    public static AttentionKernel parse(String s) {
        for (AttentionKernel k : values()) if (k.id().equals(s.toLowerCase(Locale.ROOT))) return k;
        throw new IllegalArgumentException("attention '" + s + "': use fused or composed");
    }
}
