package instantid.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.List;
import java.util.Map;

/**
 * Images and the settings that made them: {@code settingsJson} holds every parameter (seeds
 * included) in the form the {@code generate} verb and the Fiji command read back, so the same
 * settings reproduce the same pixels on the same device. {@code scores} (one per image, or empty
 * when the result was not scored) are the identity scores; {@code idMaps} (one per image, or
 * empty when not requested) are the ID-attention maps. {@link #settingsJson(int)} is one image's
 * settings: its own seed and its identity score.
 */
public record Result(List<Image> images, String settingsJson, List<IdentityScores> scores, List<IdMap> idMaps) {

    public Result {
        images = List.copyOf(images);
        scores = scores == null ? List.of() : List.copyOf(scores);
        idMaps = idMaps == null ? List.of() : List.copyOf(idMaps);
        if (!scores.isEmpty() && scores.size() != images.size()) {
            throw new IllegalArgumentException(scores.size() + " score sets for " + images.size() + " images");
        }
        if (!idMaps.isEmpty() && idMaps.size() != images.size()) {
            throw new IllegalArgumentException(idMaps.size() + " ID maps for " + images.size() + " images");
        }
    }

    public Result(List<Image> images, String settingsJson) {
        this(images, settingsJson, List.of(), List.of());
    }

    public Result withScores(List<IdentityScores> s) {
        return new Result(images, settingsJson, s, idMaps);
    }

    /** The same images (with their scores and maps) in the order of {@code order}'s indices (a ranking). */
    public Result inOrder(List<Integer> order) {
        List<Image> im = new java.util.ArrayList<>();
        List<IdentityScores> sc = new java.util.ArrayList<>();
        List<IdMap> maps = new java.util.ArrayList<>();
        for (int i : order) {
            im.add(images.get(i));
            if (scored()) sc.add(scores.get(i));
            if (!idMaps.isEmpty()) maps.add(idMaps.get(i));
        }
        return new Result(im, settingsJson, sc, maps);
    }

    public boolean scored() {
        return !scores.isEmpty();
    }

    /** Image {@code i}'s scores (null when the result was not scored). */
    public IdentityScores scores(int i) {
        return scores.isEmpty() ? null : scores.get(i);
    }

    /** Image {@code i}'s ID-attention map (null when none was recorded). */
    public IdMap idMap(int i) {
        return idMaps.isEmpty() ? null : idMaps.get(i);
    }

    /** Image {@code i}'s settings: its own seed (several images use consecutive seeds) and its identity score. */
    public String settingsJson(int i) {
        JsonObject o = JsonParser.parseString(settingsJson).getAsJsonObject();
        o.addProperty("seed", images.get(i).seed());
        if (scored()) SettingsJson.addScores(o, scores.get(i));
        return SettingsJson.toJson(o);
    }

    /** The PNG text chunks of image {@code i}: its settings and, when scored, its identity score. */
    public Map<String, String> pngText(int i) {
        Map<String, String> m = SettingsJson.pngText(settingsJson(i));
        if (scored()) m.put("instantid-identity-score", scores.get(i).text());
        return m;
    }
}
