package instantid.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens an unpickled state dict into {@code a.b.c → tensor} (nested dicts joined with '.',
 * lists and tuples by index), the one walk over what a hostile file may have built. It never
 * recurses deeper than {@link #MAX_DEPTH}, refuses a container that contains itself (a cycle),
 * and expands each container once: a container reached again is skipped when it held no tensor
 * (shared metadata) and refused otherwise, so shared references ("billion laughs") cannot make the
 * walk exponential. Tensors themselves may be shared (tied weights appear under both names).
 */
final class StateDictWalk {

    /** Deeper than any state dict (a model's module tree is rarely deeper than 10). */
    static final int MAX_DEPTH = 64;
    /** Longest flattened tensor name. */
    static final int MAX_NAME = 4096;

    private final Path file;
    private final Map<String, Unpickler.Tensor> out = new LinkedHashMap<>();
    private final Map<Object, Integer> done = new IdentityHashMap<>();
    private final Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

    private StateDictWalk(Path file) {
        this.file = file;
    }

    /** The tensors of {@code root} by flattened name, in file order. */
    static Map<String, Unpickler.Tensor> flatten(Path file, Map<?, ?> root) {
        StateDictWalk w = new StateDictWalk(file);
        w.walk("", root, 0);
        return w.out;
    }

    private int walk(String prefix, Object container, int depth) {
        String path = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        String where = path.isEmpty() ? "the top level"
                : "'" + (path.length() > 100 ? path.substring(0, 40) + "..." + path.substring(path.length() - 40) : path) + "'";
        if (depth > MAX_DEPTH) {
            throw WeightFileException.of(file, "containers nested more than " + MAX_DEPTH + " deep at " + where
                    + ": not a tensor state dict; refusing to load");
        }
        if (onPath.contains(container)) {
            throw WeightFileException.of(file, "the container at " + where + " contains itself (a cycle):"
                    + " not a tensor state dict; refusing to load");
        }
        Integer before = done.get(container);
        if (before != null) {
            if (before == 0) return 0;
            throw WeightFileException.of(file, "the container at " + where + " is a second reference to one that"
                    + " already holds " + before + " tensors; a state dict never shares its containers"
                    + " (expanding shared references is how a small file becomes a huge one); refusing to load");
        }
        onPath.add(container);
        int tensors = 0;
        if (container instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) container).entrySet()) {
                tensors += visit(prefix, String.valueOf(e.getKey()), e.getValue(), depth);
            }
        } else {
            List<?> l = container instanceof List ? (List<?>) container : ((Unpickler.Tuple) container).items();
            for (int i = 0; i < l.size(); i++) tensors += visit(prefix, Integer.toString(i), l.get(i), depth);
        }
        onPath.remove(container);
        done.put(container, tensors);
        return tensors;
    }

    private int visit(String prefix, String key, Object v, int depth) {
        boolean container = v instanceof Map || v instanceof List || v instanceof Unpickler.Tuple;
        if (!container && !(v instanceof Unpickler.Tensor)) return 0; // numbers, strings: not tensors
        if (prefix.length() + key.length() > MAX_NAME) {
            throw WeightFileException.of(file, "a tensor name longer than " + MAX_NAME + " characters under '"
                    + prefix.substring(0, Math.min(80, prefix.length())) + "...': not a tensor state dict; refusing to load");
        }
        String name = prefix + key;
        if (!container) {
            out.put(name, (Unpickler.Tensor) v);
            return 1;
        }
        return walk(name + ".", v, depth + 1);
    }
}
