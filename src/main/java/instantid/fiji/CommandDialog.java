package instantid.fiji;

import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;

import instantid.common.UserException;

import java.awt.TextField;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemVisibility;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.widget.Button;
import org.scijava.widget.FileWidget;

/**
 * A command's inputs as ImageJ users give them: from a macro line's options (every key read with
 * {@link Macro#getValue}; an absent key is the command's default, an absent checkbox is off, as in
 * any ImageJ macro), or from a {@link GenericDialog} built from the {@code @Parameter} inputs and
 * pre-filled with the last values the user confirmed (ImageJ prefs) — so the Recorder records the
 * run natively. The macro key of an input is its name; its label starts with that name (ImageJ
 * records a field under the first word of its label; see docs/imagej.md). Values are converted and
 * range-checked here, before the command's long work.
 */
final class CommandDialog {

    static final String PREFS = "instantid.";
    static final String SEED = "seed";

    private CommandDialog() {
    }

    /** The inputs a dialog or macro line fills: not yet resolved (services and images are resolved before). */
    static List<ModuleItem<?>> fields(Module module) {
        List<ModuleItem<?>> out = new ArrayList<>();
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            if (!module.isInputResolved(item.getName())) out.add(item);
        }
        return out;
    }

    /** The dialog label of an input: its own when its first word is its name, else the name itself. */
    static String label(ModuleItem<?> item) {
        String l = item.getLabel() == null ? "" : item.getLabel().trim();
        if (!l.isEmpty() && Macro.trimKey(l).equals(item.getName())) return l;
        String n = item.getName();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    static boolean isMessage(ModuleItem<?> item) {
        return item.getVisibility() == ItemVisibility.MESSAGE;
    }

    static boolean isButton(ModuleItem<?> item) {
        return Button.class.isAssignableFrom(item.getType());
    }

    static boolean isBoolean(ModuleItem<?> item) {
        return item.getType() == boolean.class || item.getType() == Boolean.class;
    }

    static boolean isNumber(ModuleItem<?> item) {
        Class<?> t = item.getType();
        return Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class && t != char.class);
    }

    /** The values a macro line gives (absent keys: the command's value after its initializer). */
    static Map<String, Object> fromMacro(Module module, String options) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ModuleItem<?> item : fields(module)) {
            String name = item.getName();
            if (isMessage(item) || isButton(item)) continue;
            Object v;
            if (isBoolean(item)) {
                v = MacroBridge.hasKey(options, name) || "true".equalsIgnoreCase(Macro.getValue(options, name, "false"));
            } else {
                String s = Macro.getValue(options, name, null);
                v = s == null ? module.getInput(name) : convert(item, s);
            }
            check(item, v);
            values.put(name, v);
        }
        return values;
    }

    /**
     * Shows the dialog and returns its values, or null when the user cancelled it. A random seed
     * ({@code seed < 0}) is drawn here and written into the field before it is read, so the
     * Recorder's line (and the image's Info) name the seed that was really used.
     */
    static Map<String, Object> fromDialog(Module module, String title, String help) {
        List<ModuleItem<?>> items = fields(module);
        String prefix = PREFS + module.getInfo().getDelegateClassName().replaceAll(".*\\.", "") + ".";
        GenericDialog gd = new GenericDialog(title);
        for (ModuleItem<?> item : items) {
            String name = item.getName(), label = label(item);
            Object current = module.getInput(name);
            Object v = current;
            if (item.isPersisted() && !isMessage(item) && !isButton(item)) {
                String stored = Prefs.get(prefix + name, null);
                if (stored != null) {
                    try {
                        v = isBoolean(item) ? Boolean.valueOf(stored) : convert(item, stored);
                    } catch (RuntimeException e) {
                        v = current; // a stored value that no longer fits: the default
                    }
                }
            }
            if (isMessage(item)) {
                gd.addMessage(String.valueOf(current));
            } else if (isButton(item)) {
                gd.addButton(label, e -> {
                    try {
                        item.callback(module);
                    } catch (Exception x) {
                        ij.IJ.error("InstantID", label + ": " + x.getMessage());
                    }
                });
            } else if (isBoolean(item)) {
                gd.addCheckbox(label, Boolean.TRUE.equals(v));
            } else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
                List<?> choices = item.getChoices();
                String[] c = new String[choices.size()];
                for (int i = 0; i < c.length; i++) c[i] = String.valueOf(choices.get(i));
                gd.addChoice(label, c, v == null ? c[0] : v.toString());
            } else if (isNumber(item)) {
                double d = v == null ? 0 : ((Number) v).doubleValue();
                gd.addNumericField(label, d, integral(item) ? 0 : digits(d), 10, null);
            } else if (item.getType() == File.class) {
                String path = v == null ? "" : v.toString();
                String style = item.getWidgetStyle() == null ? "" : item.getWidgetStyle();
                if (style.contains(FileWidget.DIRECTORY_STYLE)) gd.addDirectoryField(label, path, 30);
                else gd.addFileField(label, path, 30);
            } else {
                gd.addStringField(label, v == null ? "" : v.toString(), name.contains("prompt") ? 45 : 25);
            }
        }
        if (help != null) gd.addHelp(help);
        gd.showDialog();
        if (gd.wasCanceled()) return null;

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> remember = new LinkedHashMap<>();
        int numeric = 0;
        for (ModuleItem<?> item : items) {
            String name = item.getName();
            if (isMessage(item) || isButton(item)) continue;
            Object v;
            if (isBoolean(item)) {
                v = gd.getNextBoolean();
                remember.put(name, v.toString());
            } else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
                v = gd.getNextChoice();
                remember.put(name, v.toString());
            } else if (isNumber(item)) {
                TextField field = (TextField) gd.getNumericFields().get(numeric++);
                String typed = field.getText().trim();
                remember.put(name, typed);
                if (SEED.equals(name) && typed.startsWith("-")) field.setText(Long.toString(instantid.sample.Seeds.random()));
                gd.getNextNumber(); // records the field's text
                v = convert(item, field.getText().trim());
            } else {
                String s = gd.getNextString();
                remember.put(name, s);
                v = item.getType() == File.class ? (s.isBlank() ? null : new File(s.trim())) : s;
            }
            check(item, v);
            values.put(name, v);
        }
        for (ModuleItem<?> item : items) {
            String r = remember.get(item.getName());
            if (r != null && item.isPersisted()) Prefs.set(prefix + item.getName(), r);
        }
        return values;
    }

    static boolean integral(ModuleItem<?> item) {
        Class<?> t = item.getType();
        return t == int.class || t == Integer.class || t == long.class || t == Long.class
                || t == short.class || t == Short.class || t == byte.class || t == Byte.class;
    }

    /** Decimals enough to show {@code v} exactly (at most 6). */
    static int digits(double v) {
        for (int d = 0; d < 6; d++) {
            double s = v * Math.pow(10, d);
            if (Math.abs(s - Math.rint(s)) < 1e-9 * Math.max(1, Math.abs(s))) return d;
        }
        return 6;
    }

    /** A macro / dialog string as the input's type, with a message naming the key on failure. */
    static Object convert(ModuleItem<?> item, String s) {
        Class<?> t = item.getType();
        String name = item.getName();
        if (t == String.class) return s;
        if (t == File.class) return s.isBlank() ? null : new File(s.trim());
        if (isBoolean(item)) return Boolean.valueOf(s.trim());
        String v = s.trim();
        try {
            if (t == long.class || t == Long.class) {
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return whole(name, v, Double.parseDouble(v), Long.MIN_VALUE, Long.MAX_VALUE);
                }
            }
            double d = Double.parseDouble(v);
            if (t == int.class || t == Integer.class) return (int) whole(name, v, d, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (t == double.class || t == Double.class) return d;
            if (t == float.class || t == Float.class) return (float) d;
        } catch (NumberFormatException e) {
            throw new UserException(name + "=" + s + ": not a number");
        }
        throw new IllegalStateException(name + ": inputs of type " + t.getSimpleName() + " have no dialog field");
    }

    private static long whole(String name, String text, double d, long min, long max) {
        if (d != Math.rint(d) || d < min || d > max) throw new UserException(name + "=" + text + ": give a whole number");
        return (long) d;
    }

    /** The input's declared range (min / max of its @Parameter), with the key and the allowed range in the message. */
    static void check(ModuleItem<?> item, Object v) {
        if (!(v instanceof Number n)) return;
        double d = n.doubleValue();
        if (Double.isNaN(d)) throw new UserException(item.getName() + ": not a number");
        Object min = item.getMinimumValue(), max = item.getMaximumValue();
        if (min instanceof Number m && d < m.doubleValue()) {
            throw new UserException(item.getName() + "=" + fmt(d) + " is too small: use at least " + fmt(m.doubleValue()));
        }
        if (max instanceof Number m && d > m.doubleValue()) {
            throw new UserException(item.getName() + "=" + fmt(d) + " is too large: use at most " + fmt(m.doubleValue()));
        }
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
