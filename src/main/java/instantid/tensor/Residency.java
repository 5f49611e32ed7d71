package instantid.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts what is resident on the device: the bytes of each named component's live weight arrays
 * on its device manager (held weights and per-block loads alike, {@link Weights#residentBytes}),
 * sampled whenever a weight loads and whenever the caller asks. Keeps the peak total and every set of components seen resident at
 * once, so a test or the bench can check that a memory plan is kept.
 */
public final class Residency {

    private final Map<String, List<Weights>> components = new LinkedHashMap<>();
    private final List<Set<String>> residentSets = new ArrayList<>();
    private long peakBytes;
    private Map<String, Long> atPeak = Map.of();
    private final Map<String, Long> max = new LinkedHashMap<>();

    /** Tracks {@code weights} as (part of) {@code component}; each load from a file samples. */
    public synchronized Residency track(String component, Weights... weights) {
        for (Weights w : weights) {
            components.computeIfAbsent(component, k -> new ArrayList<>()).add(w);
            w.onLoad(this::sample);
        }
        return this;
    }

    /** The bytes resident now, per component. */
    public synchronized Map<String, Long> bytes() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<Weights>> e : components.entrySet()) {
            long b = 0;
            for (Weights w : e.getValue()) b += w.residentBytes();
            m.put(e.getKey(), b);
        }
        return m;
    }

    /** Records the current residency (peak total, the set of components resident). */
    public synchronized void sample() {
        Map<String, Long> m = bytes();
        long total = 0;
        Set<String> set = new TreeSet<>();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            total += e.getValue();
            if (e.getValue() > 0) set.add(e.getKey());
            max.merge(e.getKey(), e.getValue(), Math::max);
        }
        if (residentSets.isEmpty() || !residentSets.get(residentSets.size() - 1).equals(set)) residentSets.add(set);
        if (total > peakBytes) {
            peakBytes = total;
            atPeak = m;
        }
    }

    public synchronized long peakBytes() {
        return peakBytes;
    }

    /** Per-component bytes at the peak. */
    public synchronized Map<String, Long> atPeak() {
        return atPeak;
    }

    /** The most bytes each component had resident at any sample. */
    public synchronized Map<String, Long> maxBytes() {
        return Map.copyOf(max);
    }

    /** Every distinct set of components resident at once, in order of appearance. */
    public synchronized List<Set<String>> residentSets() {
        return List.copyOf(residentSets);
    }
}
