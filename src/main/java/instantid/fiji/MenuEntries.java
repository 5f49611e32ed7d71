package instantid.fiji;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The InstantID menu as {@code plugins.config} (in the plugin jar) declares it — the one source of
 * menu entries for ImageJ 1 and Fiji (docs/imagej.md). Each entry pairs the menu label (what
 * {@code run("…")} and the Recorder use) with the SciJava command class it runs.
 */
public final class MenuEntries {

    /** One menu entry: {@code menu} (e.g. Plugins>InstantID), {@code label}, the SciJava command class name. */
    public record Entry(String menu, String label, String commandClass) {
    }

    /** The IJ1 plug-in class every entry names. */
    public static final String PLUGIN = "instantid.fiji.InstantIdPlugIn";

    private static final Pattern LINE = Pattern.compile(
            "^\\s*([^,\"]+),\\s*\"([^\"]+)\",\\s*([\\w.$]+)\\(\"([\\w.$]+)\"\\)\\s*$");
    private static volatile List<Entry> entries;

    private MenuEntries() {
    }

    /** Every entry of the jar's plugins.config, in menu order (separators left out). */
    public static List<Entry> all() {
        List<Entry> e = entries;
        if (e == null) {
            try (InputStream in = ownConfig().openStream()) {
                e = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException x) {
                throw new IllegalStateException("cannot read plugins.config: " + x.getMessage(), x);
            }
            entries = e;
        }
        return e;
    }

    /**
     * Our jar's plugins.config — not the first one on the class path: every ImageJ plugin jar has one,
     * and ImageJ's (or Fiji's) class loader would hand out whichever comes first.
     */
    static java.net.URL ownConfig() throws IOException {
        String self = MenuEntries.class.getResource("MenuEntries.class").toString();
        String tail = MenuEntries.class.getName().replace('.', '/') + ".class";
        if (!self.endsWith(tail)) throw new IOException("cannot locate the InstantID jar from " + self);
        return new java.net.URL(self.substring(0, self.length() - tail.length()) + "plugins.config");
    }

    /** Parses plugins.config text: comments and separators skipped; any other line must be an InstantID entry. */
    public static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#") || l.matches("[^,]+,\\s*\"-\"")) continue;
            Matcher m = LINE.matcher(l);
            if (!m.matches() || !m.group(3).equals(PLUGIN)) {
                throw new IllegalStateException("plugins.config: not an InstantID entry: " + l);
            }
            out.add(new Entry(m.group(1).trim(), m.group(2), m.group(4)));
        }
        return Collections.unmodifiableList(out);
    }

    /** The menu label of a SciJava command class (what {@code run("…")} names). */
    public static String labelOf(Class<?> command) {
        for (Entry e : all()) if (e.commandClass().equals(command.getName())) return e.label();
        throw new IllegalStateException(command.getName() + " has no line in plugins.config (docs/imagej.md: adding a command)");
    }

    /** The entry for a {@code run("…")} label, with or without the trailing "..."; null when not ours. */
    public static Entry forLabel(String label) {
        if (label == null) return null;
        for (Entry e : all()) {
            String l = e.label();
            if (l.equals(label) || (l.endsWith("...") && l.substring(0, l.length() - 3).equals(label))) return e;
        }
        return null;
    }

    /** The entry running a SciJava command class; null when none. */
    public static Entry forCommand(String className) {
        for (Entry e : all()) if (e.commandClass().equals(className)) return e;
        return null;
    }
}
