package instantid.pipeline;

import ai.djl.ndarray.types.DataType;
import instantid.nn.Vae;
import instantid.tensor.Ops;
import instantid.tensor.Residency;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks of a pipeline grouped by the stage that runs them (text, denoise, decode), and a
 * {@link MemoryPlan} carried out over them: in offload mode {@link #enter} frees every other
 * stage's weights before a stage runs and {@link #finish} frees the last one; in sequential mode
 * every network loads its weights per block ({@link Weights#policy}). Always-small networks (the
 * Resampler) stay with the stage that first uses them.
 */
public final class MemoryStages {

    public enum Stage { TEXT, DENOISE, DECODE }

    private final Map<String, Stage> stageOf = new LinkedHashMap<>();
    private final Map<String, List<Weights>> weights = new LinkedHashMap<>();
    private MemoryMode asked;
    private final boolean gpu;
    private final DataType dtype;
    private Vae vae;
    private MemoryPlan plan;
    private Residency residency;

    MemoryStages(MemoryMode asked, boolean gpu, DataType dtype) {
        this.asked = asked;
        this.gpu = gpu;
        this.dtype = dtype;
    }

    /** Registers a network's weights under a component name and its stage. */
    public synchronized MemoryStages add(String component, Stage stage, Weights w) {
        stageOf.put(component, stage);
        weights.computeIfAbsent(component, k -> new ArrayList<>()).add(w);
        if (residency != null) residency.track(component, w);
        return this;
    }

    synchronized void vae(Vae v) {
        this.vae = v;
        add("vae", Stage.DECODE, v.weights());
    }

    /** Counts residency from now on (tests and the bench). */
    public synchronized void track(Residency r) {
        residency = r;
        for (Map.Entry<String, List<Weights>> e : weights.entrySet()) {
            for (Weights w : e.getValue()) r.track(e.getKey(), w);
        }
    }

    /** The mode later runs ask for (the bench compares modes on one loaded model). */
    public synchronized void ask(MemoryMode m) {
        asked = m;
    }

    public synchronized MemoryPlan plan() {
        return plan;
    }

    /** Plans for a {@code w x h} image and applies the plan (a changed plan frees what is held). */
    public synchronized MemoryPlan prepare(int w, int h) {
        MemoryPlan p = MemoryPlan.choose(asked, MemoryPlan.freeBytes(gpu ? ai.djl.Device.gpu() : ai.djl.Device.cpu()),
                need(w, h), !gpu && dtype == DataType.FLOAT32);
        apply(p);
        return p;
    }

    /** Applies a given plan (tests force one). */
    public synchronized void apply(MemoryPlan p) {
        boolean seq = p.mode() == MemoryMode.SEQUENTIAL;
        for (Map.Entry<String, List<Weights>> e : weights.entrySet()) {
            boolean wide = p.holdWide() && stageOf.get(e.getKey()) != Stage.DECODE;
            for (Weights w : e.getValue()) w.policy(seq, wide);
        }
        if (vae != null) vae.setTiling(p.tiledVae() ? MemoryPlan.TILES : null);
        plan = p;
    }

    /** Before a stage runs: in offload mode, every other stage's weights are freed. */
    public synchronized void enter(Stage s) {
        if (plan == null || plan.mode() != MemoryMode.OFFLOAD) return;
        for (Map.Entry<String, List<Weights>> e : weights.entrySet()) {
            if (stageOf.get(e.getKey()) != s) for (Weights w : e.getValue()) w.unload();
        }
        if (residency != null) residency.sample();
    }

    /** After the last stage: in offload and sequential mode nothing stays resident. */
    public synchronized void finish() {
        if (plan == null || plan.mode() == MemoryMode.FULL) return;
        for (List<Weights> l : weights.values()) for (Weights w : l) w.unload();
        if (residency != null) residency.sample();
    }

    MemoryPlan.Need need(int w, int h) {
        long[] narrow = new long[Stage.values().length];
        long[] wide = new long[Stage.values().length];
        for (Map.Entry<String, List<Weights>> e : weights.entrySet()) {
            int s = stageOf.get(e.getKey()).ordinal();
            for (Weights x : e.getValue()) {
                narrow[s] += x.plannedBytes(false);
                wide[s] += x.plannedBytes(true);
            }
        }
        int b = dtype.getNumOfBytes();
        int vb = vae != null ? vae.computeDType().getNumOfBytes() : 4;
        int tile = MemoryPlan.TILES.tileLatent() * 8;
        boolean fused = Ops.attentionKernel.runsFused();
        return new MemoryPlan.Need(narrow[0], narrow[1], narrow[2], wide[1], wide[0], MemoryPlan.unetActivation(w, h, b, fused),
                MemoryPlan.vaeActivation(w, h, vb, fused), MemoryPlan.vaeActivation(Math.min(w, tile), Math.min(h, tile), vb, fused));
    }
}
