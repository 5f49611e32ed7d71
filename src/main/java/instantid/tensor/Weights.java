package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.io.DType;
import instantid.io.TensorSource;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of one network by their internal (diffusers / transformers) names, loaded lazily
 * from their files onto one device and kept until {@link #close()}. Networks ask for a weight by
 * name at every call, so a LoRA that replaces an entry ({@link #replace}) takes effect at once and
 * its removal restores the exact original.
 *
 * <p>Weights are handed out in the compute dtype but <em>held</em> in the file's precision when that
 * is narrower (float16 files computed in float32, as on CPU): each {@link #get} then returns a fresh
 * float32 copy that belongs to the caller's {@link Scope} and is freed when the block returns —
 * ComfyUI's "manual cast". The values are the same as a float32 copy made at load; the SDXL UNet
 * holds 5 GiB instead of 10, which is what lets InstantID at 1024 px fit in 24 GiB on CPU, for an
 * upcast per weight and step (see docs/bench.md). Called outside any scope, the copy stays with
 * these weights until they are closed.
 */
public final class Weights implements AutoCloseable {

    /** Where one internal name comes from. */
    private record Ref(TensorSource source, String key, Transform transform) {
    }

    private final NDManager manager;
    private final DataType dtype;
    private final Map<String, Ref> refs = new LinkedHashMap<>();
    private final Map<String, NDArray> loaded = new HashMap<>();
    private final String prefix;
    private final Weights root;
    private boolean closesRoot;
    /** Residency policy of the root (see {@link #policy}). */
    private boolean transientLoads;
    private boolean holdWide;
    private final Set<String> pinned = new java.util.HashSet<>();
    private final java.util.List<NDArray> transients = new java.util.ArrayList<>();
    private long heldBytes;
    private Runnable onLoad;

    public Weights(NDManager parent, DataType dtype) {
        this.manager = parent.newSubManager();
        this.dtype = dtype;
        this.prefix = "";
        this.root = this;
    }

    private Weights(Weights root, String prefix) {
        this.manager = root.manager;
        this.dtype = root.dtype;
        this.prefix = prefix;
        this.root = root;
    }

    /** Registers a tensor of {@code source} (under {@code key}) as the internal parameter {@code name}. */
    public Weights map(String name, TensorSource source, String key) {
        return map(name, source, key, Transform.NONE);
    }

    /** Registers a tensor that needs a {@link Transform} to become the internal parameter. */
    public Weights map(String name, TensorSource source, String key, Transform transform) {
        root.refs.put(prefix + name, new Ref(source, key, transform));
        return this;
    }

    /** Registers every tensor of a source under its own name (plus an optional prefix). */
    public Weights mapAll(TensorSource source, String namePrefix) {
        for (String k : source.names()) map(namePrefix + k, source, k);
        return this;
    }

    /**
     * A new, independent set of the same parameters loaded in another dtype (its own memory, closed
     * with it): how a network that must run in float32 whatever the compute dtype (the SDXL VAE's
     * {@code force_upcast}) gets its weights. Reads the files again, so LoRA replacements of this
     * set are not carried over.
     */
    public Weights withDType(DataType other) {
        Weights w = new Weights(root.manager.getParentManager(), other);
        w.refs.putAll(root.refs);
        if (prefix.isEmpty()) return w;
        Weights view = new Weights(w, prefix);
        view.closesRoot = true;
        return view;
    }

    /** A view whose names are relative to {@code sub} (e.g. "down_blocks.0."). */
    public Weights sub(String sub) {
        return new Weights(root, prefix + sub);
    }

    /** This view's name prefix ("" for the root; "up_blocks.0.attentions.1.transformer_blocks.0.attn2." for a view). */
    public String prefix() {
        return prefix;
    }

    public NDManager manager() {
        return manager;
    }

    public DataType dtype() {
        return dtype;
    }

    public boolean has(String name) {
        String full = prefix + name;
        return root.refs.containsKey(full) || root.loaded.containsKey(full);
    }

    /** The parameter as an NDArray in the compute dtype; loaded on first use (see the class note). */
    public NDArray get(String name) {
        String full = prefix + name;
        if (root.transientLoads) {
            synchronized (root) {
                if (!root.loaded.containsKey(full)) return loadTransient(full);
            }
        }
        NDArray a = held(full);
        return a.getDataType() == dtype || !a.getDataType().isFloating() ? a : a.toType(dtype, false);
    }

    /**
     * How weights stay in memory. {@code transientLoads} (sequential offload): each {@link #get}
     * loads the weight afresh, in the compute dtype, into the caller's {@link Scope}, which frees it
     * when the block returns — only the running block's weights are resident (LoRA-replaced ones
     * stay). {@code holdWide}: hold float16 files in the float32 compute dtype instead of casting
     * at every use (twice the memory, no per-forward copy). A change unloads what is held.
     */
    public void policy(boolean transientLoads, boolean holdWide) {
        synchronized (root) {
            if (root.transientLoads == transientLoads && root.holdWide == holdWide) return;
            root.transientLoads = transientLoads;
            root.holdWide = holdWide;
            root.unload();
        }
    }

    /** Frees every held weight except LoRA replacements; they load again from their files when next used. */
    public void unload() {
        synchronized (root) {
            for (java.util.Iterator<Map.Entry<String, NDArray>> it = root.loaded.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, NDArray> e = it.next();
                if (root.pinned.contains(e.getKey())) continue;
                root.heldBytes -= bytes(e.getValue());
                e.getValue().close();
                it.remove();
            }
            for (NDArray a : root.transients) if (!a.isReleased()) a.close();
            root.transients.clear();
        }
    }

    /** Called after every load from a file (a residency tracker samples there). */
    public void onLoad(Runnable r) {
        root.onLoad = r;
    }

    /**
     * Bytes of weight arrays alive now: those held, plus per-block loads ({@link #policy}) whose
     * scope has not closed yet. Counted from the arrays themselves, without walking the engine.
     */
    public long residentBytes() {
        synchronized (root) {
            long b = root.heldBytes;
            root.transients.removeIf(NDArray::isReleased);
            for (NDArray a : root.transients) b += bytes(a);
            return b;
        }
    }

    private static long bytes(NDArray a) {
        return a.getShape().size() * a.getDataType().getNumOfBytes();
    }

    /**
     * Bytes every parameter of this view takes when held: in the compute dtype, or float16 for
     * float16 files computed in float32 unless {@code wide}; non-float tensors as stored.
     */
    public long plannedBytes(boolean wide) {
        long b = 0;
        for (String n : names()) {
            Ref r = root.refs.get(prefix + n);
            DType file = r.source.info(r.key).dtype();
            DataType held = !file.isFloat() ? Tensors.toDjl(file)
                    : file == DType.F16 && dtype == DataType.FLOAT32 && !wide ? DataType.FLOAT16 : dtype;
            b += shape(n).size() * held.getNumOfBytes();
        }
        return b;
    }

    private NDArray loadTransient(String full) {
        Ref r = root.refs.get(full);
        if (r == null) throw new IllegalArgumentException("missing weight '" + full + "'" + hint(full));
        DType file = r.source.info(r.key).dtype();
        NDArray a = Tensors.load(manager, r.source, r.key, file.isFloat() ? dtype : null);
        if (r.transform != Transform.NONE) a = r.transform.apply(a);
        root.transients.add(a);
        if (root.transients.size() > 4096) root.transients.removeIf(NDArray::isReleased);
        if (root.onLoad != null) root.onLoad.run();
        return a;
    }

    /** The array as held: in the compute dtype, or in a narrower float dtype of its file. */
    private NDArray held(String full) {
        synchronized (root) {
            NDArray a = root.loaded.get(full);
            if (a != null) return a;
            Ref r = root.refs.get(full);
            if (r == null) {
                throw new IllegalArgumentException("missing weight '" + full + "'" + hint(full));
            }
            DType file = r.source.info(r.key).dtype();
            DataType target = file.isFloat() ? holdAs(file) : null;
            a = Tensors.load(manager, r.source, r.key, target);
            if (r.transform != Transform.NONE) {
                NDArray t = r.transform.apply(a).duplicate();
                a.close();
                a = t;
            }
            // a weight loaded lazily inside a Scope belongs to the Weights, not to that scope
            NDScope.unregister(a);
            root.loaded.put(full, a);
            root.heldBytes += bytes(a);
            if (root.onLoad != null) root.onLoad.run();
            return a;
        }
    }

    /** float16 when the file is float16 and the compute dtype float32 (unless held wide), else the compute dtype. */
    private DataType holdAs(DType file) {
        return file == DType.F16 && dtype == DataType.FLOAT32 && !root.holdWide ? DataType.FLOAT16 : dtype;
    }

    /** The parameter's shape without loading it. */
    public Shape shape(String name) {
        String full = prefix + name;
        NDArray a = root.loaded.get(full);
        if (a != null) return a.getShape();
        Ref r = root.refs.get(full);
        if (r == null) throw new IllegalArgumentException("missing weight '" + full + "'" + hint(full));
        return new Shape(r.transform.shape(r.source.info(r.key).shape()));
    }

    /** Optional parameter: null when the file has no such tensor (e.g. a bias). */
    public NDArray opt(String name) {
        return has(name) ? get(name) : null;
    }

    /**
     * Replaces the loaded value of a parameter (LoRA fusing); returns the previous array, which the
     * caller owns and may put back with another replace.
     */
    public NDArray replace(String name, NDArray value) {
        String full = prefix + name;
        synchronized (root) {
            NDArray prev = held(full);
            value.attach(manager);
            NDScope.unregister(value);
            root.loaded.put(full, value);
            root.pinned.add(full);
            root.heldBytes += bytes(value) - bytes(prev);
            return prev;
        }
    }

    /** Every name in this view (relative), sorted. */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (String k : root.refs.keySet()) if (k.startsWith(prefix)) out.add(k.substring(prefix.length()));
        return Collections.unmodifiableSet(out);
    }

    /** Loads every parameter now (so a benchmark separates load time from the first step). */
    public void loadAll() {
        for (String n : names()) held(prefix + n);
    }

    private String hint(String full) {
        Set<String> near = new TreeSet<>();
        int dot = full.lastIndexOf('.', full.length() - 1);
        String stem = dot > 0 ? full.substring(0, dot) : full;
        for (String k : root.refs.keySet()) {
            if (k.startsWith(stem)) near.add(k);
            if (near.size() >= 3) break;
        }
        return near.isEmpty() ? " (no weight under '" + stem + "')" : " (found " + near + ")";
    }

    @Override
    public void close() {
        if (root == this) {
            loaded.clear();
            transients.clear();
            heldBytes = 0;
            manager.close();
        } else if (closesRoot) {
            root.close();
        }
    }
}
