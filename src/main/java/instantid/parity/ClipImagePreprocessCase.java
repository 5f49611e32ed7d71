package instantid.parity;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import instantid.face.RgbImage;
import instantid.image.ClipImageProcessor;
import instantid.photo.PhotoReader;

/**
 * Kind {@code clip_image_preprocess}: transformers' CLIPImageProcessor (PIL path) with the case's
 * config on each of its images: {@code pixel_values_i} within atol element-wise and mean_abs_max on
 * average; {@code resized_i} (the uint8 resize before the crop) within one level.
 */
public final class ClipImagePreprocessCase implements CaseRunner {

    @Override
    public String kind() {
        return "clip_image_preprocess";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        ClipImageProcessor p = ClipImageProcessor.fromJson(c.config);
        JsonArray images = c.array("images");
        if (images.isEmpty()) return Outcome.fail("case.json config lists no images");
        double meanMax = ImageCompare.meanAbsMax(c);
        Report r = new Report(c);
        for (int i = 0; i < images.size(); i++) {
            String file = images.get(i).getAsJsonObject().get("file").getAsString();
            RgbImage img = PhotoReader.read(c.file(file)).image();
            if (c.has("resized_" + i)) ImageCompare.check(r, c, "resized_" + i, p.resized(img), 1, Double.POSITIVE_INFINITY);
            else r.fail("no resized_" + i + " in io.safetensors");
            if (c.has("pixel_values_" + i)) ImageCompare.check(r, c, "pixel_values_" + i, p.preprocess(img), c.atol, meanMax);
            else r.fail("no pixel_values_" + i + " in io.safetensors");
        }
        return r.outcome();
    }
}
