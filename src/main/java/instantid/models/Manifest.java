package instantid.models;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything InstantID needs, read from {@code models/manifest.json} (the source of truth in the
 * project; Maven copies it into the jar as {@code instantid/models/manifest.json}).
 */
public final class Manifest {

    /** Where the manifest sits inside the jar. */
    public static final String RESOURCE = "/instantid/models/manifest.json";

    /** One role's description: its title, what the user may give for it, its default location. */
    public record RoleInfo(Role role, String kind, String title, String help, String defaultTarget) {
    }

    private final Map<Role, RoleInfo> roles;
    private final List<ModelFile> files;
    private final Map<String, String> licences;

    private Manifest(Map<Role, RoleInfo> roles, List<ModelFile> files, Map<String, String> licences) {
        this.roles = roles;
        this.files = List.copyOf(files);
        this.licences = licences;
    }

    /** The manifest shipped in the jar. */
    public static Manifest bundled() {
        try (InputStream in = Manifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the model manifest " + RESOURCE + " is missing from the jar");
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled model manifest: " + e.getMessage(), e);
        }
    }

    public static Manifest read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    static Manifest parse(Reader r, String where) {
        JsonObject o;
        try {
            o = JsonParser.parseReader(r).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": not a valid model manifest (" + e.getMessage() + ")", e);
        }
        Map<Role, RoleInfo> roles = new EnumMap<>(Role.class);
        for (JsonElement e : o.getAsJsonArray("roles")) {
            JsonObject ro = e.getAsJsonObject();
            Role role = Role.of(str(ro, "role"));
            roles.put(role, new RoleInfo(role, str(ro, "kind"), str(ro, "title"), str(ro, "help"), str(ro, "default")));
        }
        for (Role r0 : Role.values()) {
            if (!roles.containsKey(r0)) throw new IllegalArgumentException(where + ": role '" + r0.id() + "' is not described");
        }
        Map<String, String> licences = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("licences").entrySet()) {
            licences.put(e.getKey(), e.getValue().getAsString());
        }
        Map<String, String> revisions = new LinkedHashMap<>();
        if (o.has("revisions")) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("revisions").entrySet()) {
                revisions.put(e.getKey(), e.getValue().getAsString());
            }
        }
        List<ModelFile> files = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("files")) {
            JsonObject fo = e.getAsJsonObject();
            String licence = str(fo, "licence");
            if (licence != null && !licences.containsKey(licence)) {
                throw new IllegalArgumentException(where + ": licence '" + licence + "' of " + str(fo, "path") + " is not described");
            }
            JsonElement size = fo.get("size");
            String repoType = fo.has("repoType") ? str(fo, "repoType") : "model";
            String revision = fo.has("revision") ? str(fo, "revision")
                    : "model".equals(repoType) ? revisions.get(str(fo, "repo")) : null;
            List<Pin> alternatives = new ArrayList<>();
            if (fo.has("alternatives")) {
                for (JsonElement a : fo.getAsJsonArray("alternatives")) {
                    JsonObject ao = a.getAsJsonObject();
                    alternatives.add(new Pin(ao.get("size").getAsLong(), str(ao, "sha256"), str(ao, "label")));
                }
            }
            JsonElement max = fo.get("maxSize");
            files.add(new ModelFile(Role.of(str(fo, "role")), str(fo, "repo"), repoType, str(fo, "path"), str(fo, "target"),
                    size == null || size.isJsonNull() ? -1 : size.getAsLong(), str(fo, "sha256"), licence, str(fo, "note"),
                    revision, alternatives, max == null || max.isJsonNull() ? -1 : max.getAsLong()));
        }
        return new Manifest(roles, files, licences);
    }

    private static String str(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    public List<ModelFile> files() {
        return files;
    }

    public List<ModelFile> files(Role role) {
        return files.stream().filter(f -> f.role() == role).toList();
    }

    public RoleInfo role(Role role) {
        return roles.get(role);
    }

    /** Licence key → the note shown before download. */
    public Map<String, String> licences() {
        return licences;
    }

    /** The licence notes that apply to these files, each once, in manifest order. */
    public List<String> licenceNotes(List<ModelFile> which) {
        List<String> out = new ArrayList<>();
        for (String k : licences.keySet()) {
            if (which.stream().anyMatch(f -> k.equals(f.licence()))) out.add(licences.get(k));
        }
        return out;
    }
}
