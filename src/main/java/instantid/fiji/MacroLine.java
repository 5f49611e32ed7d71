package instantid.fiji;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the ImageJ macro line that reproduces a command: {@code run("Label", "key=value ...")}
 * in the recorder's syntax (values with spaces in square brackets, booleans as bare keys when
 * true), which {@link ij.Macro#getValue} reads back.
 */
public final class MacroLine {

    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    public MacroLine(String command) {
        this.command = command;
    }

    public MacroLine put(String key, Object value) {
        if (value == null) return this;
        String v;
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            v = d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
        } else {
            v = value.toString();
        }
        values.put(key, v);
        return this;
    }

    /** A checkbox: present as a bare key when true, absent when false (as the recorder writes it). */
    public MacroLine flag(String key, boolean on) {
        if (on) values.put(key, null);
        else values.remove(key);
        return this;
    }

    public String options() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(e.getKey());
            if (e.getValue() != null) sb.append('=').append(quote(e.getValue()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "run(\"" + command + "\", \"" + options().replace("\\", "\\\\").replace("\"", "\\\"") + "\");";
    }

    /** Square brackets around values that contain spaces or are empty, as ImageJ's recorder does. */
    static String quote(String v) {
        return v.isEmpty() || v.indexOf(' ') >= 0 || v.indexOf('[') >= 0 ? "[" + v + "]" : v;
    }
}
