package instantid.text;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text clean-up CLIP's tokenizer applies before BPE when {@code ftfy} is installed (as it is
 * where the reference ids were made: CJK runs stay one word): ftfy's deterministic fixes with
 * their default settings — HTML entities (unless the text has a '&lt;'), terminal escapes, C1
 * controls, Latin ligatures, full-width characters, curly quotes, line breaks, control
 * characters, NFC. ftfy's heuristic mojibake repair ({@code fix_encoding}) is not reproduced: a
 * prompt typed by a user is not mojibake.
 */
final class TextFix {

    private TextFix() {
    }

    private static final Pattern TERMINAL_ESCAPE = Pattern.compile("\u001b\\[((?:\\d|;)*)([a-zA-Z])");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", "\u00a0"), Map.entry("copy", "\u00a9"),
            Map.entry("reg", "\u00ae"), Map.entry("trade", "\u2122"), Map.entry("hellip", "\u2026"),
            Map.entry("mdash", "\u2014"), Map.entry("ndash", "\u2013"), Map.entry("laquo", "\u00ab"),
            Map.entry("raquo", "\u00bb"), Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"),
            Map.entry("ldquo", "\u201c"), Map.entry("rdquo", "\u201d"), Map.entry("deg", "\u00b0"),
            Map.entry("times", "\u00d7"), Map.entry("eacute", "\u00e9"), Map.entry("egrave", "\u00e8"),
            Map.entry("agrave", "\u00e0"), Map.entry("uuml", "\u00fc"), Map.entry("ouml", "\u00f6"),
            Map.entry("auml", "\u00e4"), Map.entry("szlig", "\u00df"), Map.entry("ccedil", "\u00e7"));

    static String fix(String text) {
        if (text.indexOf('<') < 0) text = unescapeHtml(text);
        text = TERMINAL_ESCAPE.matcher(text).replaceAll("");
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0x80 && cp <= 0x9f) {
                // C1 control → the windows-1252 character it was meant to be (where one exists)
                byte[] b = {(byte) cp};
                String w = new String(b, java.nio.charset.Charset.forName("windows-1252"));
                if (w.codePointAt(0) != 0xfffd && w.codePointAt(0) != cp) {
                    sb.append(w);
                    continue;
                }
            }
            if (isLigature(cp) || isWide(cp)) {
                sb.append(Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC));
                continue;
            }
            if (cp == 0x02bc || (cp >= 0x2018 && cp <= 0x201b)) {
                sb.append('\'');
                continue;
            }
            if (cp >= 0x201c && cp <= 0x201f) {
                sb.append('"');
                continue;
            }
            if (cp == '\r') {
                if (i < text.length() && text.charAt(i) == '\n') i++;
                sb.append('\n');
                continue;
            }
            if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
                sb.append('\n');
                continue;
            }
            if (isRemovedControl(cp)) continue;
            sb.appendCodePoint(cp);
        }
        return Normalizer.normalize(sb, Normalizer.Form.NFC);
    }

    private static String unescapeHtml(String text) {
        if (text.indexOf('&') < 0) return text;
        Matcher m = ENTITY.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String rep = null;
            if (e.startsWith("#")) {
                try {
                    int cp = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X')
                            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                    if (Character.isValidCodePoint(cp)) rep = new String(Character.toChars(cp));
                } catch (NumberFormatException ignored) {
                    // leave as is
                }
            } else {
                rep = ENTITIES.get(e);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(rep == null ? m.group() : rep));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static boolean isLigature(int cp) {
        return (cp >= 0xfb00 && cp <= 0xfb06) || cp == 0x0132 || cp == 0x0133
                || cp == 0x0149 || (cp >= 0x01c4 && cp <= 0x01cc) || (cp >= 0x01f1 && cp <= 0x01f3);
    }

    private static boolean isWide(int cp) {
        return cp == 0x3000 || (cp >= 0xff01 && cp <= 0xffef);
    }

    private static boolean isRemovedControl(int cp) {
        return (cp <= 0x08) || cp == 0x0b || (cp >= 0x0e && cp <= 0x1f) || cp == 0x7f
                || (cp >= 0x206a && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffc)
                || (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0000 && cp <= 0xe007f);
    }
}
