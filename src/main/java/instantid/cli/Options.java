package instantid.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a verb accepts, declared in one place, and the strict parser over it. A missing value, an
 * unknown option, an option given twice (unless repeatable), a stray word, or a value out of its
 * range is a {@link UsageException} naming the option (exit 2), raised before anything loads.
 * {@code --help} (or {@code -h}) anywhere prints {@link Help#verb} to stdout and nothing else runs.
 *
 * <p>Why a house parser, not picocli: the verbs read values through {@link Args} by name, every
 * option is one {@link OptionSpec} line, and the help, the ranges and the checks all come from
 * that one declaration in ~300 lines — no annotation model, no extra jar on the Fiji update site.
 *
 * <p><b>How to add an option</b>: add one line to the verb's {@code OPTIONS} (or to a shared group
 * in {@link CommonOptions} when several verbs take it), e.g.
 * {@code OptionSpec.number("ip-scale", 0.8, 0, 2, "weight of the identity tokens")}; read it in
 * {@code run} with {@code args.number("ip-scale")}. The range is then checked, documented in
 * {@code --help}, and defaulted, with nothing else to write.
 * <br><b>How to add a verb</b>: a class implementing {@link Verb} whose {@code options()} returns
 * {@code Options.of(name, summary, example, specs...)} (plus {@code .positional(...)} when it
 * takes words), and one entry in {@link Main#verbs()}.
 */
public final class Options {

    private final String verb;
    private final String summary;
    private final List<String> examples;
    private final Map<String, OptionSpec> specs;
    private final String positionalLabel;
    private final int minPositional;

    private Options(String verb, String summary, List<String> examples, Map<String, OptionSpec> specs,
                    String positionalLabel, int minPositional) {
        this.verb = verb;
        this.summary = summary;
        this.examples = examples;
        this.specs = specs;
        this.positionalLabel = positionalLabel;
        this.minPositional = minPositional;
    }

    /** A verb's options; each element is an {@link OptionSpec} or a {@code List<OptionSpec>} (a shared group). */
    public static Options of(String verb, String summary, String example, Object... specs) {
        Map<String, OptionSpec> m = new LinkedHashMap<>();
        for (Object o : specs) {
            List<?> group = o instanceof List<?> l ? l : List.of(o);
            for (Object s : group) {
                OptionSpec spec = (OptionSpec) s;
                if (m.put(spec.name(), spec) != null) throw new IllegalStateException(verb + ": --" + spec.name() + " declared twice");
            }
        }
        return new Options(verb, summary, List.of(example), m, null, 0);
    }

    /** The same options plus positional words (e.g. "IMAGE...") of which at least {@code min} are needed. */
    public Options positional(String label, int min) {
        return new Options(verb, summary, examples, specs, label, min);
    }

    /** The same options with one more example for the help. */
    public Options example(String example) {
        List<String> e = new ArrayList<>(examples);
        e.add(example);
        return new Options(verb, summary, List.copyOf(e), specs, positionalLabel, minPositional);
    }

    public String verb() {
        return verb;
    }

    public String summary() {
        return summary;
    }

    public List<String> examples() {
        return examples;
    }

    public Iterable<OptionSpec> specs() {
        return specs.values();
    }

    public OptionSpec spec(String name) {
        OptionSpec s = specs.get(name);
        if (s == null) throw new IllegalStateException(verb + " reads --" + name + " but does not declare it");
        return s;
    }

    public boolean declares(String name) {
        return specs.containsKey(name);
    }

    public String positionalLabel() {
        return positionalLabel;
    }

    /** Parses the words after the verb. */
    public Args parse(String[] argv) {
        for (String a : argv) {
            if (a.equals("--help") || a.equals("-h")) return Args.helpOnly(this);
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean onlyWords = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!onlyWords && a.equals("--")) {
                onlyWords = true;
            } else if (!onlyWords && a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                OptionSpec s = specs.get(name);
                if (s == null) throw new UsageException("unknown option --" + name + " for " + verb + nearest(name));
                if (value == null && s.takesValue()) {
                    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                        throw new UsageException(s.flagName() + " needs a value (" + s.label() + ")"
                                + (i + 1 < argv.length ? ", got the option " + argv[i + 1] + " instead" : "")
                                + (s.kind() == OptionSpec.Kind.TEXT ? "; a text that starts with -- is written " + s.flagName() + "=TEXT" : ""));
                    }
                    value = argv[++i];
                }
                if (value == null) value = "true";
                List<String> vs = values.computeIfAbsent(name, k -> new ArrayList<>());
                if (!vs.isEmpty() && !s.many()) throw new UsageException(s.flagName() + " is given more than once");
                vs.add(s.check(value));
            } else {
                positional.add(a);
            }
        }
        if (positionalLabel == null && !positional.isEmpty()) {
            throw new UsageException("unexpected word '" + positional.get(0) + "' for " + verb
                    + " (options start with --; a value with spaces needs quotes)");
        }
        if (positional.size() < minPositional) {
            throw new UsageException(verb + " needs " + positionalLabel + " (see " + verb + " --help)");
        }
        return new Args(this, values, positional);
    }

    private String nearest(String name) {
        String best = null;
        int bestD = 3;
        for (String k : specs.keySet()) {
            int d = distance(name, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null ? " (did you mean --" + best + "?)" : "; see " + verb + " --help";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
