package instantid.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields separated by commas, quoted with {@code "} when they hold a comma, quote
 * or line break (a quote inside doubled), records ending in CRLF or LF. Written here rather than
 * taken from commons-csv: the whole format is these 60 lines, and a plugin dependency must ship
 * through the update site to every Fiji.
 */
public final class Csv {

    private Csv() {
    }

    /** Every record of {@code text}; blank lines are skipped. Unterminated quotes are an error naming the line. */
    public static List<List<String>> parse(String text, String name) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false, any = false;
        int line = 1, startLine = 1;
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a BOM from spreadsheet exports
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
                startLine = line;
            } else if (c == ',') {
                rec.add(f.toString());
                f.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                line++;
                if (any || f.length() > 0) {
                    rec.add(f.toString());
                    out.add(rec);
                }
                rec = new ArrayList<>();
                f.setLength(0);
                any = false;
            } else {
                f.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException(name + ": a quoted field opened on line " + startLine + " is never closed");
        if (any || f.length() > 0) {
            rec.add(f.toString());
            out.add(rec);
        }
        return out;
    }

    /** One field, quoted when it must be. */
    public static String quote(String s) {
        if (s == null) return "";
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** One record, with a trailing LF. */
    public static String line(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) sb.append(i == 0 ? "" : ",").append(quote(fields.get(i)));
        return sb.append('\n').toString();
    }
}
