package instantid.cli;

import java.util.Collection;

/** The usage texts, printed from the declarations themselves (so help and checks never disagree). */
public final class Help {

    static final String JAR = "java -jar target/instantid.jar";

    private Help() {
    }

    /** {@code VERB --help}: usage, every option with its default and range, examples. */
    public static String verb(Options o) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(JAR).append(' ').append(o.verb()).append(" [options]");
        if (o.positionalLabel() != null) sb.append(' ').append(o.positionalLabel());
        sb.append("\n\n").append(o.summary()).append("\n\nOptions:\n");
        for (OptionSpec s : o.specs()) {
            String left = "  " + s.flagName() + (s.takesValue() ? " " + s.label() : "");
            sb.append(left);
            if (left.length() >= 30) sb.append("\n").append(" ".repeat(30));
            else sb.append(" ".repeat(30 - left.length()));
            sb.append(s.help());
            StringBuilder facts = new StringBuilder();
            if (s.dflt() != null) facts.append("default ").append(s.dflt().isEmpty() ? "\"\"" : s.dflt());
            if (!s.range().isEmpty()) facts.append(facts.length() > 0 ? "; " : "").append("range").append(s.range().replace("(", "").replace(")", ""));
            if (s.many()) facts.append(facts.length() > 0 ? "; " : "").append("repeatable");
            if (facts.length() > 0) sb.append(" [").append(facts).append(']');
            sb.append('\n');
        }
        sb.append("  --help                      this text\n");
        sb.append(o.examples().size() == 1 ? "\nExample:\n" : "\nExamples:\n");
        for (String e : o.examples()) sb.append("  ").append(e).append('\n');
        return sb.toString();
    }

    /** The top-level usage: one line per verb. */
    public static String usage(Collection<Verb> verbs) {
        StringBuilder sb = new StringBuilder("InstantID for Fiji. Usage: " + JAR + " <verb> [options]   (<verb> --help for its options)\n\nVerbs:\n");
        for (Verb v : verbs) sb.append(String.format("  %-14s %s%n", v.name(), firstSentence(v.summary())));
        sb.append("\nStart with: ").append(JAR).append(" demo-models --out demo   (then the README's first command)\n");
        return sb.toString();
    }

    private static String firstSentence(String s) {
        int i = s.indexOf(". ");
        String f = i > 0 ? s.substring(0, i) : s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        int semi = f.indexOf("; ");
        return semi > 0 ? f.substring(0, semi) : f;
    }
}
