package instantid.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments: {@code --name value} (repeatable), {@code --flag} (no value when the
 * next word is another option or absent) and positional words.
 */
public final class Args {

    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    public Args(String[] argv, Set<String> booleanFlags) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value = "true";
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (!booleanFlags.contains(name) && i + 1 < argv.length) {
                    value = argv[++i];
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(a);
            }
        }
    }

    public List<String> positional() {
        return positional;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public String get(String name, String dflt) {
        List<String> v = options.get(name);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public int getInt(String name, int dflt) {
        String v = get(name, null);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects a whole number, got '" + v + "'");
        }
    }

    public long getLong(String name, long dflt) {
        String v = get(name, null);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects a whole number, got '" + v + "'");
        }
    }

    public double getDouble(String name, double dflt) {
        String v = get(name, null);
        if (v == null) return dflt;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    /** Names of options given that are not in {@code known}: typos are errors, not silently ignored. */
    public List<String> unknown(Set<String> known) {
        List<String> out = new ArrayList<>();
        for (String k : options.keySet()) if (!known.contains(k)) out.add("--" + k);
        return out;
    }
}
