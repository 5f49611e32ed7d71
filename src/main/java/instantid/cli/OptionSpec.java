package instantid.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One option of a verb, declared in one line: its name, the kind of value, the default, the range
 * or choices, the help text, and whether it may be repeated. {@link #check} turns a raw word into
 * a checked value or a {@link UsageException} naming the option; {@link Help} prints the same
 * declaration, so what is documented is what is enforced.
 */
public record OptionSpec(String name, Kind kind, String label, String dflt, String help, boolean many,
                         double min, double max, List<String> choices, Consumer<String> extra) {

    /** What a value looks like. */
    public enum Kind { FLAG, TEXT, PATH, INT, LONG, NUMBER, SIZE, CHOICE }

    /** A flag: present or not, takes no value. */
    public static OptionSpec flag(String name, String help) {
        return new OptionSpec(name, Kind.FLAG, "", null, help, false, 0, 0, List.of(), null);
    }

    /** Free text (a prompt, a spec checked by {@link #check(Consumer)}). */
    public static OptionSpec text(String name, String label, String dflt, String help) {
        return new OptionSpec(name, Kind.TEXT, label, dflt, help, false, 0, 0, List.of(), null);
    }

    /** A file or folder; not checked for existence here (the verb says what it must be). */
    public static OptionSpec path(String name, String label, String dflt, String help) {
        return new OptionSpec(name, Kind.PATH, label, dflt, help, false, 0, 0, List.of(), null);
    }

    /** A whole number in {@code min..max}. */
    public static OptionSpec integer(String name, int dflt, int min, int max, String help) {
        return new OptionSpec(name, Kind.INT, "N", Integer.toString(dflt), help, false, min, max, List.of(), null);
    }

    /** A 64-bit whole number in {@code min..max} (seeds). */
    public static OptionSpec longInt(String name, long dflt, long min, long max, String help) {
        return new OptionSpec(name, Kind.LONG, "N", Long.toString(dflt), help, false, min, max, List.of(), null);
    }

    /** A finite decimal number in {@code min..max}. */
    public static OptionSpec number(String name, double dflt, double min, double max, String help) {
        return new OptionSpec(name, Kind.NUMBER, "X", fmt(dflt), help, false, min, max, List.of(), null);
    }

    /** WIDTHxHEIGHT, each side a multiple of 8 in {@code min..max}; {@code dflt} may be null (computed). */
    public static OptionSpec size(String name, String dflt, int min, int max, String help) {
        return new OptionSpec(name, Kind.SIZE, "WxH", dflt, help, false, min, max, List.of(), null);
    }

    /** One of {@code choices} (case-insensitive). */
    public static OptionSpec choice(String name, String dflt, List<String> choices, String help) {
        return new OptionSpec(name, Kind.CHOICE, String.join("|", choices), dflt, help, false, 0, 0,
                List.copyOf(choices), null);
    }

    /** The same option, allowed several times (each value kept, in order). */
    public OptionSpec repeatable() {
        return new OptionSpec(name, kind, label, dflt, help, true, min, max, choices, extra);
    }

    /** The same option with one more check of its text, which throws IllegalArgumentException with the reason. */
    public OptionSpec check(Consumer<String> more) {
        return new OptionSpec(name, kind, label, dflt, help, many, min, max, choices, more);
    }

    public boolean takesValue() {
        return kind != Kind.FLAG;
    }

    /** "--name" as the user types it. */
    public String flagName() {
        return "--" + name;
    }

    /** The checked, normalised value of {@code raw}; a {@link UsageException} names the option and the rule. */
    public String check(String raw) {
        String v = raw.trim();
        try {
            switch (kind) {
                case FLAG -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw bad(raw, "takes no value");
                    v = v.toLowerCase(Locale.ROOT);
                }
                case INT, LONG -> {
                    long n;
                    try {
                        n = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw bad(raw, "expects a whole number" + range());
                    }
                    if (n < min || n > max) throw bad(raw, "is out of range" + range());
                }
                case NUMBER -> {
                    double d;
                    try {
                        d = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw bad(raw, "expects a number" + range());
                    }
                    if (!(d >= min && d <= max)) throw bad(raw, "is out of range" + range());
                }
                case SIZE -> {
                    int[] s = parseSize(v);
                    if (s == null) throw bad(raw, "expects WIDTHxHEIGHT, e.g. 1024x1024");
                    for (int side : s) {
                        if (side < min || side > max || side % 8 != 0) {
                            throw bad(raw, "needs width and height that are multiples of 8" + range());
                        }
                    }
                    v = s[0] + "x" + s[1];
                }
                case CHOICE -> {
                    String typed = v;
                    // case-insensitive, giving the choice as declared ("film noir" -> "Film Noir")
                    v = choices.stream().filter(c -> c.equalsIgnoreCase(typed)).findFirst()
                            .orElseThrow(() -> bad(raw, "is not one of " + String.join(", ", choices)));
                }
                case TEXT, PATH -> {
                    v = raw; // text is kept exactly as typed
                    if (kind == Kind.PATH && v.isBlank()) throw bad(raw, "expects a " + label.toLowerCase(Locale.ROOT));
                }
                default -> throw new IllegalStateException(kind.toString());
            }
            if (extra != null) extra.accept(v);
            return v;
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flagName() + " " + quote(raw) + ": " + e.getMessage());
        }
    }

    /** " (range a..b)" for numbers and sizes, else "". */
    public String range() {
        return switch (kind) {
            case INT, LONG, SIZE -> " (" + (long) min + ".." + (long) max + ")";
            case NUMBER -> " (" + fmt(min) + ".." + fmt(max) + ")";
            default -> "";
        };
    }

    static int[] parseSize(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x", -1);
        if (p.length != 2) return null;
        try {
            return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private UsageException bad(String raw, String why) {
        return new UsageException(flagName() + " " + quote(raw) + " " + why);
    }

    private static String quote(String raw) {
        String s = raw.length() > 60 ? raw.substring(0, 57) + "..." : raw;
        return "'" + s + "'";
    }

    static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return Double.toString(d);
    }
}
