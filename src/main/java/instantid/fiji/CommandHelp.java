package instantid.fiji;

import java.util.List;

import org.scijava.module.Module;
import org.scijava.module.ModuleItem;

/** The Help button's page of a command dialog: what it does, then each field with its macro key and description. */
final class CommandHelp {

    private CommandHelp() {
    }

    static String html(Module module, String label) {
        StringBuilder sb = new StringBuilder("<html><h2>").append(esc(label)).append("</h2>");
        String d = module.getInfo().getDescription();
        if (d != null && !d.isBlank()) sb.append("<p>").append(esc(d)).append("</p>");
        List<ModuleItem<?>> items = CommandDialog.fields(module);
        sb.append("<table border=0 cellpadding=2><tr><th align=left>field</th><th align=left>macro key</th>"
                + "<th align=left>meaning</th></tr>");
        StringBuilder example = new StringBuilder();
        for (ModuleItem<?> item : items) {
            if (CommandDialog.isMessage(item) || CommandDialog.isButton(item)) continue;
            String what = item.getDescription() == null ? "" : item.getDescription();
            if (item.getChoices() != null && !item.getChoices().isEmpty()) what += (what.isEmpty() ? "" : "; ") + "one of " + item.getChoices();
            if (item.getMinimumValue() != null) what += (what.isEmpty() ? "" : "; ") + "at least " + item.getMinimumValue();
            if (item.getMaximumValue() != null) what += (what.isEmpty() ? "" : "; ") + "at most " + item.getMaximumValue();
            if (CommandDialog.isBoolean(item)) what += (what.isEmpty() ? "" : "; ") + "a checkbox: the bare key turns it on";
            sb.append("<tr><td>").append(esc(CommandDialog.label(item).replace('_', ' '))).append("</td><td><tt>")
                    .append(esc(item.getName())).append("</tt></td><td>").append(esc(what)).append("</td></tr>");
            if (example.length() < 80 && !CommandDialog.isBoolean(item)) example.append(' ').append(item.getName()).append("=…");
        }
        sb.append("</table><p>The current image is the input image; the macro Recorder (Plugins › Macros › Record…)"
                + " writes the line that repeats a run: <tt>run(\"").append(esc(label)).append("\", \"")
                .append(esc(example.toString().trim())).append("\");</tt> — keys left out take their defaults.</p>");
        sb.append("<p>Esc cancels a running generation between steps.</p></html>");
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
