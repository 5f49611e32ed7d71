package instantid.pipeline;

/**
 * Where one identity acts on the canvas (output pixels): a rectangle with a soft edge of
 * {@code feather} pixels. {@link #WHOLE} is the whole image (single-identity generation).
 */
public record Region(int x, int y, int width, int height, double feather) {

    public static final Region WHOLE = new Region(0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);

    public boolean isWhole() {
        return x <= 0 && y <= 0 && width == Integer.MAX_VALUE && height == Integer.MAX_VALUE;
    }

    /** This region clipped to a canvas. */
    public Region clip(int canvasW, int canvasH) {
        int x0 = Math.max(0, x), y0 = Math.max(0, y);
        long x1 = Math.min((long) canvasW, (long) x + width), y1 = Math.min((long) canvasH, (long) y + height);
        return new Region(x0, y0, (int) Math.max(0, x1 - x0), (int) Math.max(0, y1 - y0), feather);
    }
}
