package instantid.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.common.UserException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The style templates of InstantID's Gradio app ({@code gradio_demo/style_template.py}: "Watercolor",
 * "Film Noir", "Neon", ...), read from the resource {@code instantid/style_templates.json}, applied
 * as the app's {@code apply_style}: the prompt is the template with {@code {prompt}} replaced by the
 * user's prompt, the negative prompt is the template's negative, a space, and the user's negative.
 * {@link #NONE} leaves both prompts as typed (the app would prefix the negative with a space, which
 * changes no token).
 */
public final class StyleTemplates {

    /** The template that changes nothing; the default of the CLI and the Fiji dialog. */
    public static final String NONE = "(No style)";

    /** One template: a prompt with {@code {prompt}} and a negative prompt. */
    public record Style(String name, String prompt, String negativePrompt) {
    }

    /** A prompt and negative prompt after a template. */
    public record Prompts(String prompt, String negativePrompt) {
    }

    private static final Map<String, Style> STYLES = load();

    private StyleTemplates() {
    }

    private static Map<String, Style> load() {
        try (InputStream in = StyleTemplates.class.getResourceAsStream("/instantid/style_templates.json")) {
            if (in == null) throw new IllegalStateException("resource instantid/style_templates.json is missing from the jar");
            JsonObject o = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, Style> m = new LinkedHashMap<>();
            for (JsonElement e : o.getAsJsonArray("styles")) {
                JsonObject s = e.getAsJsonObject();
                Style st = new Style(s.get("name").getAsString(), s.get("prompt").getAsString(),
                        s.get("negative_prompt").getAsString());
                m.put(st.name(), st);
            }
            return Collections.unmodifiableMap(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template names, in the app's order ("(No style)" first). */
    public static List<String> names() {
        return new ArrayList<>(STYLES.keySet());
    }

    /** A template by name (exact, or ignoring case); an unknown name is an error naming the valid ones. */
    public static Style get(String name) {
        Style s = STYLES.get(name);
        if (s != null) return s;
        for (Style t : STYLES.values()) if (t.name().equalsIgnoreCase(name.trim())) return t;
        throw new UserException("style template '" + name + "' does not exist; use one of: " + String.join(", ", names()));
    }

    /** {@code apply_style}; {@code negative} null counts as empty (except with {@link #NONE}, which keeps it). */
    public static Prompts apply(String name, String prompt, String negative) {
        Style s = get(name);
        if (s.name().equals(NONE)) return new Prompts(prompt, negative);
        return new Prompts(s.prompt().replace("{prompt}", prompt == null ? "" : prompt),
                s.negativePrompt() + " " + (negative == null ? "" : negative));
    }
}
