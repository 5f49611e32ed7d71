package instantid.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.SettingsJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --settings FILE.json}: an earlier image's settings (the {@code .json} written beside it),
 * read with one clear message when the file is not JSON, lacks a field or holds a wrong type —
 * never a parser's stack trace.
 */
final class SettingsFile {

    static final List<String> GENERATION_FIELDS = List.of("prompt", "steps", "guidance", "width", "height", "seed", "sampler");
    static final List<String> INSTANTID_FIELDS = List.of("identitynet_start", "identitynet_end", "identities");
    static final List<String> IDENTITY_FIELDS = List.of("embedding", "kps", "ip_scale", "identitynet_scale");

    private SettingsFile() {
    }

    static GenerationSettings generation(Path file) {
        JsonObject o = read(file);
        require(file, o, GENERATION_FIELDS, "");
        return convert(file, () -> SettingsJson.readGeneration(o));
    }

    static InstantIdRequest instantId(Path file) {
        JsonObject o = read(file);
        require(file, o, GENERATION_FIELDS, "");
        require(file, o, INSTANTID_FIELDS, "");
        if (!o.get("identities").isJsonArray() || o.getAsJsonArray("identities").isEmpty()) {
            throw new UsageException("--settings " + file + ": 'identities' must be a non-empty list; "
                    + "is this the settings of a txt2img image? (use it with txt2img)");
        }
        int i = 0;
        for (JsonElement e : o.getAsJsonArray("identities")) {
            if (!e.isJsonObject()) throw new UsageException("--settings " + file + ": identities[" + i + "] is not an object");
            require(file, e.getAsJsonObject(), IDENTITY_FIELDS, "identities[" + i++ + "].");
        }
        return convert(file, () -> SettingsJson.readInstantId(o.toString()));
    }

    private static JsonObject read(Path file) {
        if (!Files.isRegularFile(file)) throw new UsageException("--settings: " + file + " does not exist (give an image's .json)");
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            if (!e.isJsonObject()) throw new UsageException("--settings " + file + ": not a settings object (expected { ... })");
            return e.getAsJsonObject();
        } catch (JsonParseException | IOException e) {
            throw new UsageException("--settings " + file + " is not readable JSON (" + firstLine(e) + "); "
                    + "give the .json written beside an image");
        }
    }

    private static void require(Path file, JsonObject o, List<String> fields, String prefix) {
        List<String> missing = new ArrayList<>();
        for (String f : fields) if (!o.has(f) || o.get(f).isJsonNull()) missing.add(prefix + f);
        if (!missing.isEmpty()) {
            throw new UsageException("--settings " + file + " lacks " + String.join(", ", missing)
                    + "; give the .json written beside an image by this program");
        }
    }

    private static <T> T convert(Path file, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (NumberFormatException e) {
            throw new UsageException("--settings " + file + ": a field has the wrong type (" + firstLine(e) + ")");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--settings " + file + ": " + e.getMessage());
        } catch (RuntimeException e) { // gson's ClassCastException / IllegalStateException / NumberFormatException
            throw new UsageException("--settings " + file + ": a field has the wrong type (" + firstLine(e) + ")");
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
