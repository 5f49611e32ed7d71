package instantid.nn;

import java.util.Map;
import java.util.TreeMap;

/**
 * A multiplier of the IP-adapter attention per UNet attention module, by module name (the
 * {@code Transformer2DModel}'s name, e.g. {@code up_blocks.0.attentions.1}). InstantStyle found
 * that SDXL's {@code up_blocks.0.attentions.1} carries style and {@code down_blocks.2.attentions.1}
 * layout; giving the IP tokens only to those blocks is {@link #STYLE_AND_LAYOUT}.
 */
@FunctionalInterface
public interface BlockScales {

    /** The multiplier for the attention module {@code module} ("down_blocks.2.attentions.1", "mid_block.attentions.0"). */
    float scale(String module);

    /** Every block at 1 (the InstantID reference). */
    BlockScales UNIFORM = m -> 1f;

    /** IP tokens only in InstantStyle's style block. */
    BlockScales STYLE_ONLY = of(Map.of("up_blocks.0.attentions.1", 1f), 0f);

    /** IP tokens only in InstantStyle's style and layout blocks. */
    BlockScales STYLE_AND_LAYOUT = of(Map.of("up_blocks.0.attentions.1", 1f, "down_blocks.2.attentions.1", 1f), 0f);

    /**
     * Scales by name prefix on dot boundaries, the longest match winning: {@code "up_blocks.0"}
     * covers every attention of up block 0, {@code "up_blocks.0.attentions.1"} only that one,
     * {@code "mid_block"} the mid block. Modules no key covers get {@code otherwise}.
     */
    static BlockScales of(Map<String, Float> byPrefix, float otherwise) {
        TreeMap<String, Float> m = new TreeMap<>(byPrefix);
        return module -> {
            String best = null;
            for (String k : m.keySet()) {
                boolean covers = module.equals(k) || module.startsWith(k + ".");
                if (covers && (best == null || k.length() > best.length())) best = k;
            }
            return best == null ? otherwise : m.get(best);
        };
    }
}
