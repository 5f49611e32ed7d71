package instantid.image;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.face.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * transformers' {@code CLIPImageProcessor} (4.x, the PIL / NumPy path that IP-Adapter and
 * InstantStyle instantiate) on an RGB image: resize so the short side is {@code shortestEdge} and
 * the long side {@code int(shortestEdge * long / short)} (truncated) with Pillow's resampling
 * ({@code resample}: Pillow's filter number, 3 = BICUBIC) on the uint8 image; center crop at
 * {@code top = (H - cropHeight) // 2, left = (W - cropWidth) // 2} (zero-padded where the image is
 * smaller, as transformers' {@code center_crop}); {@code x * rescaleFactor} in double, cast to
 * float; {@code (x - mean) / std} in float; channels first.
 * The caller gives RGB already: {@code convert("RGB")} is the image reader's job.
 */
public record ClipImageProcessor(int shortestEdge, int cropHeight, int cropWidth, int resample,
        double rescaleFactor, float[] mean, float[] std, boolean doCenterCrop) {

    /** OpenAI CLIP's normalisation ({@code OPENAI_CLIP_MEAN} / {@code OPENAI_CLIP_STD}). */
    static final float[] OPENAI_CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] OPENAI_CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    public ClipImageProcessor {
        if (shortestEdge <= 0 || cropHeight <= 0 || cropWidth <= 0) {
            throw new IllegalArgumentException("CLIP image processor sizes must be positive: shortest_edge " + shortestEdge
                    + ", crop " + cropWidth + "x" + cropHeight);
        }
        PilResize.Filter.fromPil(resample);
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("image_mean and image_std need three values each");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** OpenAI CLIP's processor (IP-Adapter's image encoder): 224, bicubic, center crop 224x224. */
    public static ClipImageProcessor defaults() {
        return new ClipImageProcessor(224, 224, 224, PilResize.Filter.BICUBIC.pil, 1 / 255.0, OPENAI_CLIP_MEAN,
                OPENAI_CLIP_STD, true);
    }

    /** From a {@code preprocessor_config.json} (missing keys take {@link #defaults()}'s values). */
    public static ClipImageProcessor read(Path preprocessorConfigJson) throws IOException {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(preprocessorConfigJson)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(preprocessorConfigJson + " is not a JSON object: " + e.getMessage(), e);
        }
        try {
            return fromJson(o);
        } catch (IllegalArgumentException e) {
            throw new IOException(preprocessorConfigJson + ": " + e.getMessage(), e);
        }
    }

    /** From the keys of a {@code preprocessor_config.json} object. */
    public static ClipImageProcessor fromJson(JsonObject o) {
        for (String flag : new String[] {"do_resize", "do_rescale", "do_normalize"}) {
            if (o.has(flag) && !o.get(flag).getAsBoolean()) {
                throw new IllegalArgumentException(flag + " = false is not supported (the image encoders expect resized, "
                        + "rescaled, normalized images)");
            }
        }
        ClipImageProcessor d = defaults();
        int shortest = d.shortestEdge;
        JsonElement size = o.get("size");
        if (size != null && size.isJsonPrimitive()) shortest = size.getAsInt();
        else if (size != null && size.isJsonObject()) {
            JsonObject s = size.getAsJsonObject();
            if (!s.has("shortest_edge")) throw new IllegalArgumentException("size " + s + " has no shortest_edge");
            shortest = s.get("shortest_edge").getAsInt();
        }
        int ch = d.cropHeight, cw = d.cropWidth;
        JsonElement crop = o.get("crop_size");
        if (crop != null && crop.isJsonPrimitive()) {
            ch = crop.getAsInt();
            cw = ch;
        } else if (crop != null && crop.isJsonObject()) {
            ch = crop.getAsJsonObject().get("height").getAsInt();
            cw = crop.getAsJsonObject().get("width").getAsInt();
        }
        int resample = o.has("resample") ? o.get("resample").getAsInt() : d.resample;
        double rescale = o.has("rescale_factor") ? o.get("rescale_factor").getAsDouble() : d.rescaleFactor;
        float[] mean = o.has("image_mean") ? floats(o.get("image_mean")) : d.mean;
        float[] std = o.has("image_std") ? floats(o.get("image_std")) : d.std;
        boolean crops = !o.has("do_center_crop") || o.get("do_center_crop").getAsBoolean();
        return new ClipImageProcessor(shortest, ch, cw, resample, rescale, mean, std, crops);
    }

    private static float[] floats(JsonElement e) {
        if (e.isJsonPrimitive()) {
            float v = e.getAsFloat();
            return new float[] {v, v, v};
        }
        float[] out = new float[e.getAsJsonArray().size()];
        for (int i = 0; i < out.length; i++) out[i] = e.getAsJsonArray().get(i).getAsFloat();
        return out;
    }

    /** The resized uint8 image before the crop (transformers' {@code resize} with {@code default_to_square=False}). */
    public RgbImage resized(RgbImage image) {
        int w = image.width(), h = image.height();
        int shortSide = Math.min(w, h), longSide = Math.max(w, h);
        int newLong = (int) ((double) ((long) shortestEdge * longSide) / shortSide);
        int nw = w <= h ? shortestEdge : newLong, nh = w <= h ? newLong : shortestEdge;
        return PilResize.resize(image, nw, nh, PilResize.Filter.fromPil(resample));
    }

    /**
     * The pixel values, {@code 3 x cropHeight x cropWidth} channels first (without center crop:
     * {@code 3 x H x W} of the resized image).
     */
    public float[] preprocess(RgbImage image) {
        RgbImage r = resized(image);
        int w = r.width(), h = r.height();
        int oh = doCenterCrop ? cropHeight : h, ow = doCenterCrop ? cropWidth : w;
        int top = cropOrigin(h, oh), left = cropOrigin(w, ow);
        float[] out = new float[3 * oh * ow];
        for (int c = 0; c < 3; c++) {
            float m = mean[c], s = std[c];
            int plane = c * oh * ow;
            for (int y = 0; y < oh; y++) {
                int sy = y + top;
                for (int x = 0; x < ow; x++) {
                    int sx = x + left;
                    int v = sy >= 0 && sy < h && sx >= 0 && sx < w ? r.get(sx, sy, c) : 0;
                    float scaled = (float) (v * rescaleFactor);
                    out[plane + y * ow + x] = (scaled - m) / s;
                }
            }
        }
        return out;
    }

    /**
     * Where the crop starts in the image: {@code (size - crop) // 2} when the image is at least
     * as large, else minus transformers' padding {@code ceil((crop - size) / 2)}.
     */
    static int cropOrigin(int size, int crop) {
        if (size >= crop) return (size - crop) / 2;
        return -((crop - size + 1) / 2);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipImageProcessor p && shortestEdge == p.shortestEdge && cropHeight == p.cropHeight
                && cropWidth == p.cropWidth && resample == p.resample && rescaleFactor == p.rescaleFactor
                && doCenterCrop == p.doCenterCrop && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Integer.hashCode(shortestEdge) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ClipImageProcessor[shortest_edge=" + shortestEdge + ", crop=" + cropWidth + "x" + cropHeight + ", resample="
                + resample + ", rescale=" + rescaleFactor + ", mean=" + Arrays.toString(mean) + ", std="
                + Arrays.toString(std) + ", center_crop=" + doCenterCrop + "]";
    }
}
