package instantid.parity;

import ai.djl.ndarray.NDManager;
import instantid.face.RgbImage;
import instantid.image.LoadedImage;
import instantid.image.ResizeImg;
import instantid.photo.PhotoReader;

/**
 * Kind {@code image_load}: a user's photo read as diffusers' {@code load_image} reads it
 * ({@code loaded}, HxWx3 uint8) and then InstantID's {@code resize_img(max_side, min_side,
 * base_pixel_number)} ({@code resized}): each within atol element-wise and mean_abs_max on average.
 */
public final class ImageLoadCase implements CaseRunner {

    @Override
    public String kind() {
        return "image_load";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        String file = c.string("file", null);
        if (file == null) return Outcome.fail("case.json config has no file");
        ResizeImg rule = new ResizeImg((int) c.number("max_side", 1280), (int) c.number("min_side", 1024),
                (int) c.number("base_pixel_number", 64));
        LoadedImage loaded = PhotoReader.read(c.file(file));
        RgbImage resized = rule.apply(loaded.image());
        double meanMax = ImageCompare.meanAbsMax(c);
        Report r = new Report(c);
        ImageCompare.check(r, c, "loaded", loaded.image(), c.atol, meanMax);
        ImageCompare.check(r, c, "resized", resized, c.atol, meanMax);
        return r.outcome();
    }
}
