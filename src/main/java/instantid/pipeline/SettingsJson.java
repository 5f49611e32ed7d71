package instantid.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.lora.LoraSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting that made an image, as JSON: written into the PNG, the {@code .json} beside it
 * and the Fiji image's Info, and read back to reproduce it. Embeddings are stored in full (512
 * numbers each), so a reproduction needs neither the face photo nor the face models.
 */
public final class SettingsJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    private SettingsJson() {
    }

    public static JsonObject of(GenerationSettings g, long seed) {
        JsonObject o = new JsonObject();
        o.addProperty("prompt", g.prompt());
        if (g.negativePrompt() != null) o.addProperty("negative_prompt", g.negativePrompt());
        o.addProperty("steps", g.steps());
        o.addProperty("guidance", g.guidance());
        o.addProperty("width", g.width());
        o.addProperty("height", g.height());
        o.addProperty("seed", seed);
        o.addProperty("sampler", g.sampler());
        o.addProperty("prompt_encoding", g.promptEncoder().key());
        JsonArray loras = new JsonArray();
        for (LoraSpec l : g.loras()) loras.add(l.toString());
        o.add("loras", loras);
        return o;
    }

    public static JsonObject of(InstantIdRequest r, long seed) {
        JsonObject o = of(r.generation(), seed);
        o.addProperty("identitynet_start", r.controlStart());
        o.addProperty("identitynet_end", r.controlEnd());
        o.addProperty("enhance_face_region", r.enhanceFaceRegion());
        if (!r.ipBlockScales().isEmpty()) {
            JsonObject b = new JsonObject();
            r.ipBlockScales().forEach(b::addProperty);
            o.add("ip_block_scales", b);
        }
        JsonArray ids = new JsonArray();
        for (Identity id : r.identities()) {
            JsonObject i = new JsonObject();
            i.addProperty("ip_scale", id.ipScale());
            i.addProperty("identitynet_scale", id.identityNetScale());
            i.add("kps", floats(id.kps()));
            if (!id.region().isWhole()) {
                Region g = id.region();
                i.add("region", floats(new float[] {g.x(), g.y(), g.width(), g.height(), (float) g.feather()}));
            }
            if (!id.phrase().isEmpty()) i.addProperty("phrase", id.phrase());
            if (id.faceBox() != null) i.add("face_box", floats(id.faceBox()));
            if (id.photoNote() != null) i.addProperty("photo_conversion", id.photoNote());
            i.add("embedding", floats(id.embedding()));
            ids.add(i);
        }
        o.add("identities", ids);
        if (!r.imagePrompts().isEmpty()) o.add("image_prompts", ImagePromptJson.write(r.imagePrompts()));
        return o;
    }

    public static String toJson(JsonObject o) {
        return GSON.toJson(o);
    }

    /** Reads back a request written by {@link #of(InstantIdRequest, long)}. */
    public static InstantIdRequest readInstantId(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        GenerationSettings g = readGeneration(o);
        List<Identity> ids = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("identities")) {
            JsonObject i = e.getAsJsonObject();
            Region region = Region.WHOLE;
            if (i.has("region")) {
                float[] r = toFloats(i.getAsJsonArray("region"));
                region = new Region((int) r[0], (int) r[1], (int) r[2], (int) r[3], r[4]);
            }
            ids.add(new Identity(toFloats(i.getAsJsonArray("embedding")), toFloats(i.getAsJsonArray("kps")),
                    i.get("ip_scale").getAsDouble(), i.get("identitynet_scale").getAsDouble(), region,
                    i.has("phrase") ? i.get("phrase").getAsString() : "",
                    i.has("face_box") ? toFloats(i.getAsJsonArray("face_box")) : null,
                    i.has("photo_conversion") ? i.get("photo_conversion").getAsString() : null));
        }
        Map<String, Double> blocks = new LinkedHashMap<>();
        if (o.has("ip_block_scales")) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("ip_block_scales").entrySet()) {
                blocks.put(e.getKey(), e.getValue().getAsDouble());
            }
        }
        // settings written before "enhance non-face region" existed were made without it
        return new InstantIdRequest(g, ids, o.get("identitynet_start").getAsDouble(),
                o.get("identitynet_end").getAsDouble(), blocks,
                o.has("enhance_face_region") && o.get("enhance_face_region").getAsBoolean(), ImagePromptJson.read(o));
    }

    /** Settings of a text-to-image run with image prompts (style / reference). */
    public static JsonObject of(GenerationSettings g, List<ImagePrompt> prompts, long seed) {
        JsonObject o = of(g, seed);
        if (!prompts.isEmpty()) o.add("image_prompts", ImagePromptJson.write(prompts));
        return o;
    }

    /** The image prompts of a settings file (none when it has none). */
    public static List<ImagePrompt> readImagePrompts(String json) {
        return ImagePromptJson.read(JsonParser.parseString(json).getAsJsonObject());
    }

    public static GenerationSettings readGeneration(JsonObject o) {
        List<LoraSpec> loras = new ArrayList<>();
        if (o.has("loras")) for (JsonElement e : o.getAsJsonArray("loras")) loras.add(LoraSpec.parse(e.getAsString()));
        return new GenerationSettings(o.get("prompt").getAsString(),
                o.has("negative_prompt") ? o.get("negative_prompt").getAsString() : null,
                o.get("steps").getAsInt(), o.get("guidance").getAsDouble(), o.get("width").getAsInt(),
                o.get("height").getAsInt(), o.get("seed").getAsLong(), o.get("sampler").getAsString(), 1, loras,
                // settings written before the app's encoder existed were made with the plain one
                o.has("prompt_encoding") ? PromptEncoder.parse(o.get("prompt_encoding").getAsString()) : PromptEncoder.PLAIN);
    }

    static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray();
        for (float f : v) a.add(f);
        return a;
    }

    static float[] toFloats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsFloat();
        return v;
    }

    /**
     * Adds one image's identity scores: top level {@code identity_score} (the image's number, see
     * {@link IdentityScores#overall()}) as a number, or null beside {@code identity_score_reason};
     * and in each entry of {@code identities} its own {@code identity_score} (or null and reason)
     * and the matched face's box {@code identity_face} [x1, y1, x2, y2] in output pixels.
     */
    public static void addScores(JsonObject o, IdentityScores s) {
        put(o, s.overall());
        if (!o.has("identities")) return;
        JsonArray ids = o.getAsJsonArray("identities");
        for (int k = 0; k < ids.size() && k < s.perIdentity().size(); k++) {
            JsonObject i = ids.get(k).getAsJsonObject();
            IdentityScore one = s.perIdentity().get(k);
            put(i, one);
            if (one.faceBox() != null) i.add("identity_face", floats(one.faceBox()));
        }
    }

    private static void put(JsonObject o, IdentityScore s) {
        if (s.present()) {
            o.addProperty("identity_score", s.value());
            o.remove("identity_score_reason");
        } else {
            o.add("identity_score", com.google.gson.JsonNull.INSTANCE);
            o.addProperty("identity_score_reason", s.reason());
        }
    }

    /** The image's identity score as written by {@link #addScores}: null when the settings carry none. */
    public static IdentityScore readScore(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        if (!o.has("identity_score")) return null;
        JsonElement v = o.get("identity_score");
        if (v.isJsonNull()) {
            return IdentityScore.none(o.has("identity_score_reason") ? o.get("identity_score_reason").getAsString() : "unknown");
        }
        return IdentityScore.of(v.getAsDouble(), null);
    }

    /** Text chunks for the PNG: the settings and the program that made it. */
    public static Map<String, String> pngText(String json) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Software", "InstantID for Fiji");
        m.put("instantid-settings", json);
        return m;
    }

    static String path(Path p) {
        return p == null ? null : p.toAbsolutePath().toString();
    }
}
