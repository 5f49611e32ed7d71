package instantid.image;

import instantid.face.RgbImage;

/**
 * EXIF orientation (tag 0x0112) applied as Pillow's {@code ImageOps.exif_transpose} does: 2 mirror
 * left-right, 3 rotate 180, 4 mirror top-bottom, 5 transpose, 6 rotate 90 clockwise
 * ({@code ROTATE_270}), 7 transverse, 8 rotate 90 counter-clockwise ({@code ROTATE_90}); 1, absent
 * or unknown values leave the image as stored.
 */
public final class Orientation {

    private Orientation() {
    }

    /** True for the orientations that swap width and height (5..8). */
    public static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The image as a viewer that honours {@code orientation} shows it. */
    public static RgbImage apply(RgbImage in, int orientation) {
        if (orientation < 2 || orientation > 8) return in;
        int w = in.width(), h = in.height();
        boolean swap = swapsSides(orientation);
        int ow = swap ? h : w, oh = swap ? w : h;
        byte[] src = in.rgb(), out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx, sy;
                switch (orientation) {
                    case 2: sx = w - 1 - x; sy = y; break;
                    case 3: sx = w - 1 - x; sy = h - 1 - y; break;
                    case 4: sx = x; sy = h - 1 - y; break;
                    case 5: sx = y; sy = x; break;
                    case 6: sx = y; sy = h - 1 - x; break;
                    case 7: sx = w - 1 - y; sy = h - 1 - x; break;
                    default: sx = w - 1 - y; sy = x; break; // 8
                }
                int o = (y * ow + x) * 3, s = (sy * w + sx) * 3;
                out[o] = src[s];
                out[o + 1] = src[s + 1];
                out[o + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
