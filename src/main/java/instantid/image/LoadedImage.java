package instantid.image;

import instantid.face.RgbImage;

/**
 * An image as read for InstantID: 8-bit RGB, upright. {@code exifOrientation} is the EXIF
 * orientation that was applied (1 when none); {@code conversion} says how values were changed on
 * the way to 8-bit RGB beyond what Pillow's {@code convert("RGB")} does (e.g. 16-bit scaled by a
 * display range), null when nothing was — settings record it.
 */
public record LoadedImage(RgbImage image, int exifOrientation, String conversion) {

    public LoadedImage {
        java.util.Objects.requireNonNull(image, "image");
    }

    /** An 8-bit RGB image taken as it is. */
    public static LoadedImage of(RgbImage image) {
        return new LoadedImage(image, 1, null);
    }
}
