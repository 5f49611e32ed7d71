package instantid.lora;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a module name as a LoRA file writes it onto a network's internal module path. Files
 * write either the internal (diffusers / transformers) path, or with kohya the path with dots
 * turned into underscores — of the internal naming or of the original SGM naming
 * ({@code input_blocks_4_1_proj_in}); underscores are ambiguous, so names are matched against the
 * network's known modules rather than split.
 */
public final class ModuleNames {

    private final Set<String> internal;
    private final Map<String, String> underscored = new HashMap<>();

    /**
     * @param internalModules every module path of the network (weight names without ".weight")
     * @param sgmToInternal optional map from SGM module paths to internal ones (UNet of single files)
     */
    public ModuleNames(Set<String> internalModules, Map<String, String> sgmToInternal) {
        this.internal = internalModules;
        for (String m : internalModules) underscored.put(m.replace('.', '_'), m);
        if (sgmToInternal != null) {
            for (Map.Entry<String, String> e : sgmToInternal.entrySet()) {
                underscored.putIfAbsent(e.getKey().replace('.', '_'), e.getValue());
            }
        }
    }

    /** The internal module for a file's module name, or null. */
    public String resolve(String fileModule) {
        if (internal.contains(fileModule)) return fileModule;
        return underscored.get(fileModule.replace('.', '_'));
    }

    /** Module paths (names ending in .weight, stripped) of a set of parameter names. */
    public static Set<String> modulesOf(Set<String> params) {
        Set<String> out = new java.util.TreeSet<>();
        for (String p : params) if (p.endsWith(".weight")) out.add(p.substring(0, p.length() - 7));
        return out;
    }
}
