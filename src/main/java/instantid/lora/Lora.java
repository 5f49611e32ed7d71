package instantid.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.lora.LoraSpec;
import instantid.tensor.Scope;
import instantid.tensor.Tensors;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * LoRAs fused into the networks' weights: {@code W' = W + scale * (alpha / rank) * up @ down}
 * (alpha / sqrt(rank) for rank-stabilised files). A DoRA module is fused as peft merges it:
 * {@code W' = m * (W + dW) / ||W + dW||}, the norm taken per output row (over every axis but the
 * first) when the magnitude has one value per output, per input column when it has one per input
 * (LyCORIS' {@code wd_on_out=False}); the scale multiplies dW inside the norm, as peft's does.
 * Fused, not applied on the fly, because a step then costs exactly what it costs without LoRA
 * (on the fly adds two small matmuls per layer per step, for the whole run); the price is a copy
 * of each changed weight, kept so that {@link #close()} restores the originals bit for bit.
 * Several files stack; a file whose keys match nothing is an error naming it and three keys.
 */
public final class Lora implements AutoCloseable {

    /** A network LoRAs can change: its weights and how file module names map onto them. */
    public record Target(Weights weights, ModuleNames names) {
    }

    private final Map<Weights, Map<String, NDArray>> originals = new LinkedHashMap<>();
    private final List<String> applied = new ArrayList<>();

    private Lora() {
    }

    /** Fuses every spec into the targets; on any error nothing stays changed. */
    public static Lora apply(List<LoraSpec> specs, Map<LoraFile.Net, Target> targets, Consumer<String> log) {
        Lora l = new Lora();
        try {
            for (LoraSpec s : specs) l.fuse(s, targets, log);
            return l;
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** The specs applied, as "file:scale". */
    public List<String> applied() {
        return applied;
    }

    private void fuse(LoraSpec spec, Map<LoraFile.Net, Target> targets, Consumer<String> log) {
        try (TensorSource src = TensorSources.open(spec.file())) {
            LoraConfigMeta meta = LoraConfigMeta.of(src);
            List<String> stray = new ArrayList<>();
            List<LoraFile.Pair> pairs = LoraFile.pairs(src, stray);
            List<String> unmatched = new ArrayList<>(stray);
            int done = 0;
            for (LoraFile.Pair p : pairs) {
                Target t = targets.get(p.net());
                String module = t == null ? null : t.names().resolve(p.module());
                if (module == null || !t.weights().has(module + ".weight")) {
                    unmatched.add(p.downKey());
                    continue;
                }
                fusePair(src, p, t.weights(), module, spec.scale(), meta);
                done++;
            }
            if (done == 0) {
                throw new instantid.common.UserException("LoRA " + spec.file() + " matches no layer of these models; unmatched keys: "
                        + unmatched.subList(0, Math.min(3, unmatched.size())));
            }
            if (!unmatched.isEmpty() && log != null) {
                log.accept("LoRA " + spec.file().getFileName() + ": " + unmatched.size() + " keys match no layer, e.g. "
                        + unmatched.subList(0, Math.min(3, unmatched.size())));
            }
            applied.add(spec.toString());
        }
    }

    private void fusePair(TensorSource src, LoraFile.Pair p, Weights w, String module, double scale, LoraConfigMeta meta) {
        // the scope frees the factors, the delta and the float32 intermediates (also when the shapes
        // do not match); the fused array is taken over by the weights (replace), the originals by this LoRA
        try (Scope scope = new Scope()) {
            String wName = module + ".weight";
            NDArray base = w.get(wName);
            NDArray down = Tensors.load(w.manager(), src, p.downKey(), DataType.FLOAT32);
            NDArray up = Tensors.load(w.manager(), src, p.upKey(), DataType.FLOAT32);
            long rank = down.getShape().get(0);
            double alpha = meta.alpha(p.net(), module);
            if (Double.isNaN(alpha)) alpha = rank;
            if (p.alphaKey() != null) {
                NDArray a = Tensors.load(w.manager(), src, p.alphaKey(), DataType.FLOAT32);
                alpha = a.toFloatArray()[0];
            }
            double perRank = meta.rsLora(p.net()) ? Math.sqrt(rank) : rank;
            long out = up.getShape().get(0);
            NDArray delta = up.reshape(out, rank).matMul(down.reshape(rank, -1))
                    .mul((float) (scale * alpha / perRank));
            if (delta.size() != base.size()) {
                throw new instantid.common.UserException("LoRA " + src.path() + ": " + p.downKey() + " has rank-" + rank
                        + " factors for " + delta.getShape() + " but " + wName + " is " + base.getShape()
                        + ": the LoRA was made for another model");
            }
            NDArray merged = base.toType(DataType.FLOAT32, true).add(delta.reshape(base.getShape()));
            if (p.magnitudeKey() != null) {
                merged = DoraMerge.apply(merged, Tensors.load(w.manager(), src, p.magnitudeKey(), DataType.FLOAT32),
                        src.path() + ": " + p.magnitudeKey(), wName);
            }
            NDArray fused = merged.toType(base.getDataType(), false);
            Map<String, NDArray> orig = originals.computeIfAbsent(w, k -> new HashMap<>());
            NDArray prev = w.replace(wName, fused);
            if (!orig.containsKey(wName)) {
                orig.put(wName, prev);
            } else {
                prev.close();
            }
        }
    }

    /** Unloads: every changed weight gets its original array back, exactly. */
    @Override
    public void close() {
        for (Map.Entry<Weights, Map<String, NDArray>> e : originals.entrySet()) {
            for (Map.Entry<String, NDArray> o : e.getValue().entrySet()) {
                NDArray fused = e.getKey().replace(o.getKey(), o.getValue());
                fused.close();
            }
        }
        originals.clear();
        applied.clear();
    }
}
