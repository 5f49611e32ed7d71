package instantid.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The {@code image_prompts} of a settings file: every field of each {@link ImagePrompt}, the pixel
 * values exactly. CLIP pixel values come from 8-bit images, so each channel holds at most 256
 * distinct floats: they are stored as that palette plus one deflated byte per pixel (about 100 KB
 * for a 224 px photo instead of 600 KB of floats); other values as deflated float32.
 */
final class ImagePromptJson {

    private ImagePromptJson() {
    }

    static JsonArray write(List<ImagePrompt> prompts) {
        JsonArray a = new JsonArray();
        for (ImagePrompt p : prompts) {
            JsonObject o = new JsonObject();
            o.addProperty("use", p.use());
            o.addProperty("adapter", SettingsJson.path(p.adapter()));
            o.addProperty("image_encoder", SettingsJson.path(p.imageEncoder()));
            o.addProperty("scale", p.scale());
            o.addProperty("blocks", p.blocks());
            if (p.contentPrompt() != null) {
                o.addProperty("content_prompt", p.contentPrompt());
                o.addProperty("content_scale", p.contentScale());
            }
            if (!p.source().isEmpty()) o.addProperty("source", p.source());
            o.addProperty("height", p.height());
            o.addProperty("width", p.width());
            o.add("pixels", pixels(p.pixels(), p.height() * p.width()));
            a.add(o);
        }
        return a;
    }

    static List<ImagePrompt> read(JsonObject settings) {
        List<ImagePrompt> out = new ArrayList<>();
        if (!settings.has("image_prompts")) return out;
        for (JsonElement e : settings.getAsJsonArray("image_prompts")) {
            JsonObject o = e.getAsJsonObject();
            int h = o.get("height").getAsInt(), w = o.get("width").getAsInt();
            out.add(new ImagePrompt(o.get("use").getAsString(), Path.of(o.get("adapter").getAsString()),
                    Path.of(o.get("image_encoder").getAsString()), pixels(o.getAsJsonObject("pixels"), h * w),
                    h, w, o.get("scale").getAsDouble(), o.get("blocks").getAsString(),
                    o.has("content_prompt") ? o.get("content_prompt").getAsString() : null,
                    o.has("content_scale") ? o.get("content_scale").getAsDouble() : 0.0,
                    o.has("source") ? o.get("source").getAsString() : ""));
        }
        return out;
    }

    static JsonObject pixels(float[] v, int plane) {
        JsonObject o = new JsonObject();
        JsonArray palettes = new JsonArray();
        byte[] idx = new byte[v.length];
        for (int c = 0; c * plane < v.length; c++) {
            Map<Float, Integer> pal = new LinkedHashMap<>();
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                Integer k = pal.get(v[i]);
                if (k == null) {
                    if (pal.size() == 256) return raw(v);
                    k = pal.size();
                    pal.put(v[i], k);
                }
                idx[i] = (byte) (int) k;
            }
            palettes.add(SettingsJson.floats(toArray(pal.keySet())));
        }
        o.addProperty("encoding", "palette8");
        o.add("palettes", palettes);
        o.addProperty("indices", Base64.getEncoder().encodeToString(deflate(idx)));
        return o;
    }

    private static JsonObject raw(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        JsonObject o = new JsonObject();
        o.addProperty("encoding", "float32");
        o.addProperty("data", Base64.getEncoder().encodeToString(deflate(b.array())));
        return o;
    }

    static float[] pixels(JsonObject o, int plane) {
        String enc = o.get("encoding").getAsString();
        float[] v = new float[3 * plane];
        if (enc.equals("float32")) {
            ByteBuffer b = ByteBuffer.wrap(inflate(Base64.getDecoder().decode(o.get("data").getAsString()), v.length * 4))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
            return v;
        }
        if (!enc.equals("palette8")) throw new IllegalArgumentException("settings: image pixels in unknown encoding '" + enc + "'");
        byte[] idx = inflate(Base64.getDecoder().decode(o.get("indices").getAsString()), v.length);
        JsonArray pals = o.getAsJsonArray("palettes");
        for (int i = 0; i < v.length; i++) {
            float[] pal = SettingsJson.toFloats(pals.get(i / plane).getAsJsonArray());
            v[i] = pal[idx[i] & 0xff];
        }
        return v;
    }

    private static float[] toArray(java.util.Collection<Float> c) {
        float[] a = new float[c.size()];
        int i = 0;
        for (float f : c) a[i++] = f;
        return a;
    }

    private static byte[] deflate(byte[] in) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] in, int size) {
        Inflater f = new Inflater();
        f.setInput(in);
        byte[] out = new byte[size];
        try {
            int n = 0;
            while (n < size && !f.finished()) {
                int k = f.inflate(out, n, size - n);
                if (k == 0 && (f.needsInput() || f.needsDictionary())) break;
                n += k;
            }
            if (n != size) throw new IllegalArgumentException("settings: image pixels are truncated (" + n + " of " + size + " bytes)");
            return out;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("settings: image pixels are damaged: " + e.getMessage());
        } finally {
            f.end();
        }
    }
}
