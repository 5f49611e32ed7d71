package instantid.batch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A batch manifest: one image per row. CSV with a header row, or JSON (an array of objects, or
 * {@code {"rows": [...]}}). Columns {@code face}, {@code prompt}, {@code seed}, {@code out} are
 * required; the optional ones are {@link #OPTIONAL}. Column names are case-insensitive and
 * {@code -} equals {@code _}. Several faces of one person are joined by {@code ;} (or a JSON
 * array), as are several LoRAs. Relative photo paths are relative to the manifest's folder;
 * {@code out} is relative to the output folder. Every problem names the file, the row and the column.
 */
public record Manifest(Path file, List<Row> rows) {

    public static final List<String> REQUIRED = List.of("face", "prompt", "seed", "out");
    public static final Set<String> OPTIONAL = Set.of("pose", "kps", "negative", "negative_prompt", "ip_scale",
            "identitynet_scale", "identitynet_start", "identitynet_end", "size", "steps", "guidance", "sampler", "lora",
            "det_thresh", "combine", "ip_blocks", "style_template", "prompt_encoding");

    /** One data row: its 1-based number (the header is not counted) and its non-empty values by normalised column. */
    public record Row(int number, Map<String, String> values) {

        public String get(String column) {
            return values.get(column);
        }

        /** The ;-separated parts of a column (empty when absent). */
        public List<String> parts(String column) {
            List<String> out = new ArrayList<>();
            String v = values.get(column);
            if (v != null) for (String p : v.split(";")) if (!p.isBlank()) out.add(p.trim());
            return out;
        }
    }

    public Manifest {
        rows = List.copyOf(rows);
    }

    public static Manifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("manifest " + file + " does not exist");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Map<String, String>> raw = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? json(text, file) : csv(text, file);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) rows.add(check(file, i + 1, raw.get(i)));
        if (rows.isEmpty()) throw new IllegalArgumentException("manifest " + file + " has no rows");
        Set<String> outs = new TreeSet<>();
        for (Row r : rows) {
            if (!outs.add(r.get("out"))) {
                throw new IllegalArgumentException("manifest " + file + ", row " + r.number() + ": out '" + r.get("out")
                        + "' is used by an earlier row; every row needs its own output file");
            }
        }
        return new Manifest(file, rows);
    }

    /** The rows of one shard, in manifest order. */
    public List<Row> rows(Shard s) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) if (s.owns(r.number())) out.add(r);
        return out;
    }

    /** A photo path of the manifest, resolved against the manifest's folder when relative. */
    public Path resolveInput(String p) {
        Path x = Path.of(p);
        Path dir = file.toAbsolutePath().getParent();
        return x.isAbsolute() || dir == null ? x : dir.resolve(x).normalize();
    }

    static String column(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static Row check(Path file, int number, Map<String, String> values) {
        String where = "manifest " + file + ", row " + number;
        for (String k : values.keySet()) {
            if (!REQUIRED.contains(k) && !OPTIONAL.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown column '" + k + "'; known: " + REQUIRED + " and " + new TreeSet<>(OPTIONAL));
            }
        }
        for (String k : REQUIRED) {
            if (!values.containsKey(k)) throw new IllegalArgumentException(where + ": the column '" + k + "' is empty or missing");
        }
        try {
            if (Long.parseLong(values.get("seed").trim()) < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": seed '" + values.get("seed") + "' is not a whole number >= 0 "
                    + "(a batch needs fixed seeds to be reproducible and resumable)");
        }
        String out = values.get("out");
        if (Path.of(out).isAbsolute() || Path.of(out).normalize().startsWith("..")) {
            throw new IllegalArgumentException(where + ": out '" + out + "' must be a relative path inside --out-dir");
        }
        return new Row(number, values);
    }

    private static List<Map<String, String>> csv(String text, Path file) {
        List<List<String>> recs = Csv.parse(text, "manifest " + file);
        if (recs.isEmpty()) throw new IllegalArgumentException("manifest " + file + " is empty: it needs a header row " + REQUIRED);
        List<String> header = new ArrayList<>();
        for (String h : recs.get(0)) header.add(column(h));
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; i < recs.size(); i++) {
            List<String> r = recs.get(i);
            if (r.size() > header.size()) {
                throw new IllegalArgumentException("manifest " + file + ", row " + i + ": " + r.size() + " fields but the header has " + header.size());
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int c = 0; c < r.size(); c++) if (!r.get(c).isBlank()) m.put(header.get(c), r.get(c).trim());
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, String>> json(String text, Path file) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("manifest " + file + " is not valid JSON: " + e.getMessage());
        }
        JsonArray arr = root.isJsonArray() ? root.getAsJsonArray()
                : root.isJsonObject() && root.getAsJsonObject().has("rows") ? root.getAsJsonObject().getAsJsonArray("rows") : null;
        if (arr == null) throw new IllegalArgumentException("manifest " + file + ": expected an array of rows or {\"rows\": [...]}");
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            if (!arr.get(i).isJsonObject()) throw new IllegalArgumentException("manifest " + file + ", row " + (i + 1) + " is not an object");
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : arr.get(i).getAsJsonObject().entrySet()) {
                String v = value(e.getValue());
                if (v != null && !v.isBlank()) m.put(column(e.getKey()), v.trim());
            }
            out.add(m);
        }
        return out;
    }

    private static String value(JsonElement e) {
        if (e == null || e.isJsonNull()) return null;
        if (e.isJsonArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) parts.add(x.getAsString());
            return String.join(";", parts);
        }
        if (e.isJsonObject()) return e.toString();
        return e.getAsString();
    }

    /**
     * A row's identity for resuming: its effective values (sorted) and the SHA-256 of every input
     * photo, so an edited row or a replaced photo is generated again.
     */
    public static JsonObject fingerprint(Map<String, String> values, List<Path> inputs) throws IOException {
        JsonObject o = new JsonObject();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> o.addProperty(e.getKey(), e.getValue()));
        JsonObject files = new JsonObject();
        for (Path p : inputs) files.addProperty(p.toString(), Files.isRegularFile(p) ? sha256(p) : "missing");
        o.add("input_sha256", files);
        return o;
    }

    static String sha256(Path p) throws IOException {
        return instantid.models.Sha256.of(p);
    }
}
