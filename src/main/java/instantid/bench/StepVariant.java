package instantid.bench;

import instantid.tensor.AttentionKernel;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One way to run a step that the bench can compare with another on the same loaded model: the
 * attention kernel ({@link AttentionKernel}) and whether float16 weights are held widened to
 * float32 ({@code wide}) or cast at every use ({@code narrow}, what a memory plan without room
 * does). Applying one sets the op layer's kernel and re-holds the given networks' weights.
 */
public record StepVariant(AttentionKernel attention, boolean wide) {

    /** The figure suffix, e.g. {@code fused_narrow}. */
    String id() {
        return attention.id() + "_" + (wide ? "wide" : "narrow");
    }

    void apply(List<Weights> networks) {
        Ops.attentionKernel = attention;
        for (Weights w : networks) w.policy(false, wide);
    }

    /** Every combination of {@code attention} ("fused", "composed" or both, comma-separated) and {@code hold}. */
    public static List<StepVariant> parse(String attention, String hold) {
        List<StepVariant> out = new ArrayList<>();
        for (String a : attention.split(",")) {
            for (String h : hold.split(",")) {
                String hh = h.trim().toLowerCase(Locale.ROOT);
                if (!hh.equals("narrow") && !hh.equals("wide")) {
                    throw new IllegalArgumentException("hold '" + h + "': use narrow, wide or narrow,wide");
                }
                out.add(new StepVariant(AttentionKernel.parse(a.trim()), hh.equals("wide")));
            }
        }
        return out;
    }
}
