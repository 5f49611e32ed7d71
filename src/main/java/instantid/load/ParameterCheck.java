package instantid.load;

import instantid.io.WeightFileException;
import instantid.tensor.Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The load-time check of a network's weights against the parameters its config asks for (the
 * lists of {@code nn/ParameterLists}), as stable-diffusion.cpp's loader does: missing, unexpected
 * and mis-shaped tensors are named together in one message when the model is opened, not at the
 * first step. Nothing is loaded: shapes come from the file headers.
 */
public final class ParameterCheck {

    /** Non-parameter buffers that some published files carry and the networks do not use. */
    private static final Set<String> BUFFERS = Set.of("position_ids");

    /** How many names of each kind the message lists before "and N more". */
    private static final int SHOWN = 5;

    private ParameterCheck() {
    }

    /**
     * Throws a {@link WeightFileException} naming {@code file} and the {@code network} when
     * {@code w} does not hold exactly the {@code expected} parameters with their shapes.
     */
    public static void verify(String network, Path file, Map<String, long[]> expected, Weights w) {
        List<String> missing = new ArrayList<>(), shape = new ArrayList<>();
        for (var e : expected.entrySet()) {
            if (!w.has(e.getKey())) {
                missing.add(e.getKey());
            } else {
                long[] got = w.shape(e.getKey()).getShape();
                if (!Arrays.equals(got, e.getValue())) {
                    shape.add(e.getKey() + " " + Arrays.toString(got) + " (expected " + Arrays.toString(e.getValue()) + ")");
                }
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String n : new TreeSet<>(w.names())) {
            if (!expected.containsKey(n) && !BUFFERS.contains(n.substring(n.lastIndexOf('.') + 1))) unexpected.add(n);
        }
        if (missing.isEmpty() && unexpected.isEmpty() && shape.isEmpty()) return;
        StringBuilder m = new StringBuilder("is not the " + network + " its config.json describes:");
        list(m, "missing", missing);
        list(m, "unexpected", unexpected);
        list(m, "of another shape", shape);
        m.append(". The weights and config.json must come from the same model (a different variant,"
                + " an incomplete download or a file of another network)");
        throw WeightFileException.of(file, m.toString());
    }

    private static void list(StringBuilder m, String what, List<String> names) {
        if (names.isEmpty()) return;
        m.append(' ').append(names.size()).append(' ').append(what).append(" (")
                .append(String.join(", ", names.subList(0, Math.min(SHOWN, names.size()))));
        if (names.size() > SHOWN) m.append(", and ").append(names.size() - SHOWN).append(" more");
        m.append(");");
    }
}
