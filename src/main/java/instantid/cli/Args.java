package instantid.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A verb's parsed, checked arguments (see {@link Options#parse}): every value has passed its
 * {@link OptionSpec}; an option not given reads as its declared default. Reading an option the
 * verb did not declare is a programming error, so declaration and use cannot drift apart.
 */
public final class Args {

    private final Options options;
    private final Map<String, List<String>> values;
    private final List<String> positional;
    private final boolean help;

    Args(Options options, Map<String, List<String>> values, List<String> positional) {
        this(options, values, positional, false);
    }

    private Args(Options options, Map<String, List<String>> values, List<String> positional, boolean help) {
        this.options = options;
        this.values = values;
        this.positional = List.copyOf(positional);
        this.help = help;
    }

    static Args helpOnly(Options o) {
        return new Args(o, Map.of(), List.of(), true);
    }

    /** --help was asked for: print the help and run nothing. */
    public boolean helpRequested() {
        return help;
    }

    public Options options() {
        return options;
    }

    public List<String> positional() {
        return positional;
    }

    /** Whether the option was typed (defaults do not count). */
    public boolean has(String name) {
        options.spec(name);
        return values.containsKey(name);
    }

    /** The value typed, else the declared default (null when it has none). */
    public String get(String name) {
        List<String> v = values.get(name);
        return v == null ? options.spec(name).dflt() : v.get(v.size() - 1);
    }

    /** The value typed, else {@code dflt}. */
    public String get(String name, String dflt) {
        return has(name) ? get(name) : dflt;
    }

    /** Every value of a repeatable option, in order. */
    public List<String> all(String name) {
        options.spec(name);
        return values.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        return "true".equals(get(name, "false"));
    }

    public int integer(String name) {
        return Integer.parseInt(required(name));
    }

    public long longValue(String name) {
        return Long.parseLong(required(name));
    }

    public double number(String name) {
        return Double.parseDouble(required(name));
    }

    /** WIDTHxHEIGHT as {width, height}. */
    public int[] size(String name) {
        return OptionSpec.parseSize(required(name));
    }

    public Path path(String name) {
        String v = get(name);
        return v == null ? null : Path.of(v);
    }

    public int getInt(String name, int dflt) {
        return has(name) ? integer(name) : dflt;
    }

    public long getLong(String name, long dflt) {
        return has(name) ? longValue(name) : dflt;
    }

    public double getDouble(String name, double dflt) {
        return has(name) ? number(name) : dflt;
    }

    /** The value, or a UsageException saying the verb needs it. */
    public String required(String name) {
        String v = get(name);
        if (v == null) throw new UsageException(options.verb() + " needs " + options.spec(name).flagName() + " "
                + options.spec(name).label() + " (see " + options.verb() + " --help)");
        return v;
    }
}
