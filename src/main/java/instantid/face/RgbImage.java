package instantid.face;

import java.util.Objects;

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved {@code r,g,b} (what insightface's
 * callers pass after {@code cv2.cvtColor(..., COLOR_BGR2RGB)}; the channel order only matters at
 * the network inputs, which take RGB). Immutable by convention: operations return new images.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + width + "*" + height
                    + "*3 = " + ((long) width * height * 3));
        }
    }

    /** A black image. */
    public static RgbImage zeros(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    /** The pixels as {@code b,g,r} interleaved (the layout OpenCV and insightface's crops use). */
    public byte[] toBgr() {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i += 3) {
            out[i] = rgb[i + 2];
            out[i + 1] = rgb[i + 1];
            out[i + 2] = rgb[i];
        }
        return out;
    }

    /**
     * The rectangle (x, y, w, h) clipped to the image. Throws when nothing of it lies inside.
     */
    public RgbImage crop(int x, int y, int w, int h) {
        int x0 = Math.max(0, x), y0 = Math.max(0, y);
        int x1 = Math.min(width, x + w), y1 = Math.min(height, y + h);
        if (x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("crop (" + x + "," + y + " " + w + "x" + h + ") lies outside the "
                    + width + "x" + height + " image");
        }
        int cw = x1 - x0, ch = y1 - y0;
        byte[] out = new byte[cw * ch * 3];
        for (int r = 0; r < ch; r++) {
            System.arraycopy(rgb, ((y0 + r) * width + x0) * 3, out, r * cw * 3, cw * 3);
        }
        return new RgbImage(cw, ch, out);
    }

    /** This image placed at the top-left of a black {@code w x h} canvas (cut where larger). */
    public RgbImage padTo(int w, int h) {
        byte[] out = new byte[w * h * 3];
        int cw = Math.min(w, width), ch = Math.min(h, height);
        for (int r = 0; r < ch; r++) {
            System.arraycopy(rgb, r * width * 3, out, r * w * 3, cw * 3);
        }
        return new RgbImage(w, h, out);
    }

    /**
     * Bilinear resize exactly as {@code cv2.resize(img, (w, h))} (INTER_LINEAR) computes it for
     * 8-bit images: pixel-centre mapping, edge clamping, 11-bit fixed-point weights, a horizontal
     * pass into ints, then OpenCV's vertical pass. OpenCV rounds the vertical pass in two slightly
     * different ways (SIMD lanes vs. the scalar tail of each row); we use the SIMD formula for
     * every pixel, so a few pixels at row ends may differ by one level.
     */
    public RgbImage resize(int w, int h) {
        if (w <= 0 || h <= 0) throw new IllegalArgumentException("resize to " + w + "x" + h);
        if (w == width && h == height) return new RgbImage(w, h, rgb.clone());
        final int one = 1 << 11;
        double scaleX = 1.0 / ((double) w / width), scaleY = 1.0 / ((double) h / height);
        int[] xofs = new int[w];
        int[] a0 = new int[w], a1 = new int[w];
        for (int dx = 0; dx < w; dx++) {
            float fx = (float) ((dx + 0.5) * scaleX - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            if (sx < 0) { fx = 0; sx = 0; }
            if (sx >= width - 1) { fx = 0; sx = width - 1; }
            xofs[dx] = sx;
            a0[dx] = saturateShort(Math.rint((1.f - fx) * one));
            a1[dx] = saturateShort(Math.rint(fx * one));
        }
        int[] row0 = new int[w * 3], row1 = new int[w * 3];
        byte[] out = new byte[w * h * 3];
        int cachedY0 = Integer.MIN_VALUE, cachedY1 = Integer.MIN_VALUE;
        for (int dy = 0; dy < h; dy++) {
            float fy = (float) ((dy + 0.5) * scaleY - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            int b0 = saturateShort(Math.rint((1.f - fy) * one));
            int b1 = saturateShort(Math.rint(fy * one));
            int y0 = clamp(sy, height), y1 = clamp(sy + 1, height);
            if (y0 != cachedY0) { hpass(y0, xofs, a0, a1, row0); cachedY0 = y0; }
            if (y1 != cachedY1) { hpass(y1, xofs, a0, a1, row1); cachedY1 = y1; }
            int o = dy * w * 3;
            for (int i = 0; i < w * 3; i++) {
                int v = (((b0 * (row0[i] >> 4)) >> 16) + ((b1 * (row1[i] >> 4)) >> 16) + 2) >> 2;
                out[o + i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(w, h, out);
    }

    private void hpass(int sy, int[] xofs, int[] a0, int[] a1, int[] dst) {
        int base = sy * width * 3;
        for (int dx = 0; dx < xofs.length; dx++) {
            int s = base + xofs[dx] * 3;
            int s1 = xofs[dx] + 1 < width ? s + 3 : s;
            for (int c = 0; c < 3; c++) {
                dst[dx * 3 + c] = (rgb[s + c] & 0xff) * a0[dx] + (rgb[s1 + c] & 0xff) * a1[dx];
            }
        }
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n - 1);
    }

    private static int saturateShort(double v) {
        return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
}
