package instantid.image;

import instantid.face.RgbImage;

/**
 * Pillow's {@code Image.resize} for 8-bit images, ported from {@code src/libImaging/Resample.c}
 * ({@code ImagingResample}): a separable convolution, horizontal pass first (only over the source
 * rows the vertical pass will read), then vertical; on downsizing the filter's support is widened
 * by the scale factor (anti-aliasing); the weights of each output pixel are normalised to sum 1 in
 * double, then rounded to fixed point with {@link #PRECISION_BITS} fractional bits; each pass
 * starts its accumulator at one half and clips {@code acc >> PRECISION_BITS} to 0..255.
 * As in {@code Image.resize}, a resize to the same size is a copy. Pure arrays, no AWT.
 */
public final class PilResize {

    /** Pillow's {@code PRECISION_BITS}: 32 - 8 - 2 (8 bits of result, 2 for filter overshoot). */
    public static final int PRECISION_BITS = 32 - 8 - 2;

    /** Pillow's resampling filters, with their {@code Image.Resampling} numbers and supports. */
    public enum Filter {
        LANCZOS(1, 3.0), BILINEAR(2, 1.0), BICUBIC(3, 2.0), BOX(4, 0.5), HAMMING(5, 1.0);

        /** The number Pillow (and transformers' {@code resample}) uses for this filter. */
        public final int pil;
        final double support;

        Filter(int pil, double support) {
            this.pil = pil;
            this.support = support;
        }

        /** The filter with Pillow's number {@code n} (0 = NEAREST is not supported here). */
        public static Filter fromPil(int n) {
            for (Filter f : values()) if (f.pil == n) return f;
            throw new IllegalArgumentException("resampling filter " + n + " is not supported (Pillow numbers: 1 LANCZOS, "
                    + "2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING)");
        }

        double apply(double x) {
            switch (this) {
                case BOX:
                    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
                case BILINEAR:
                    if (x < 0.0) x = -x;
                    return x < 1.0 ? 1.0 - x : 0.0;
                case HAMMING:
                    if (x < 0.0) x = -x;
                    if (x == 0.0) return 1.0;
                    if (x >= 1.0) return 0.0;
                    x = x * Math.PI;
                    return Math.sin(x) / x * ((double) 0.54f + (double) 0.46f * Math.cos(x));
                case BICUBIC: {
                    final double a = -0.5;
                    if (x < 0.0) x = -x;
                    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
                    return 0.0;
                }
                case LANCZOS:
                    return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
                default:
                    throw new AssertionError(this);
            }
        }

        private static double sinc(double x) {
            if (x == 0.0) return 1.0;
            x = x * Math.PI;
            return Math.sin(x) / x;
        }
    }

    private PilResize() {
    }

    /** {@code image.resize((width, height), filter)} of an RGB image. */
    public static RgbImage resize(RgbImage image, int width, int height, Filter filter) {
        byte[] out = resize(image.rgb(), image.width(), image.height(), 3, width, height, filter);
        return new RgbImage(width, height, out);
    }

    /**
     * Resizes interleaved 8-bit pixels ({@code channels} per pixel, rows top to bottom) from
     * {@code inW x inH} to {@code outW x outH}; the whole image is the source box.
     */
    public static byte[] resize(byte[] in, int inW, int inH, int channels, int outW, int outH, Filter filter) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("resize to " + outW + "x" + outH + ": sizes must be positive");
        }
        if (in.length != (long) inW * inH * channels) {
            throw new IllegalArgumentException(in.length + " bytes for a " + inW + "x" + inH + "x" + channels + " image");
        }
        if (outW == inW && outH == inH) return in.clone();
        boolean needH = outW != inW, needV = outH != inH;
        Coeffs vert = Coeffs.of(inH, 0f, inH, outH, filter);
        byte[] src = in;
        int srcH = inH;
        if (needH) {
            int first = vert.bounds[0];
            int last = vert.bounds[outH * 2 - 2] + vert.bounds[outH * 2 - 1];
            for (int i = 0; i < outH; i++) vert.bounds[i * 2] -= first;
            Coeffs horiz = Coeffs.of(inW, 0f, inW, outW, filter);
            src = horizontal(in, inW, channels, first, last - first, outW, horiz);
            srcH = last - first;
        }
        if (!needV) return src;
        return vertical(src, needH ? outW : inW, srcH, channels, outH, vert);
    }

    private static byte[] horizontal(byte[] in, int inW, int ch, int rowOffset, int rows, int outW, Coeffs k) {
        byte[] out = new byte[rows * outW * ch];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < rows; yy++) {
            int inRow = (yy + rowOffset) * inW * ch, outRow = yy * outW * ch;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = k.bounds[xx * 2], xmax = k.bounds[xx * 2 + 1], kb = xx * k.ksize;
                for (int c = 0; c < ch; c++) {
                    int ss = half;
                    for (int x = 0; x < xmax; x++) ss += (in[inRow + (x + xmin) * ch + c] & 0xff) * k.fixed[kb + x];
                    out[outRow + xx * ch + c] = clip8(ss);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int w, int inH, int ch, int outH, Coeffs k) {
        byte[] out = new byte[outH * w * ch];
        int half = 1 << (PRECISION_BITS - 1);
        int stride = w * ch;
        for (int yy = 0; yy < outH; yy++) {
            int ymin = k.bounds[yy * 2], ymax = k.bounds[yy * 2 + 1], kb = yy * k.ksize;
            for (int i = 0; i < stride; i++) {
                int ss = half;
                for (int y = 0; y < ymax; y++) ss += (in[(y + ymin) * stride + i] & 0xff) * k.fixed[kb + y];
                out[yy * stride + i] = clip8(ss);
            }
        }
        return out;
    }

    private static byte clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}: per output pixel, first source index, count, weights. */
    static final class Coeffs {
        final int ksize;
        final int[] bounds;
        final double[] weights;
        final int[] fixed;

        private Coeffs(int ksize, int[] bounds, double[] weights, int[] fixed) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.weights = weights;
            this.fixed = fixed;
        }

        static Coeffs of(int inSize, float in0, float in1, int outSize, Filter filter) {
            double scale = (double) (in1 - in0) / outSize;
            double filterscale = Math.max(scale, 1.0);
            double support = filter.support * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            double[] kk = new double[outSize * ksize];
            double invFilterscale = 1.0 / filterscale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = in0 + (xx + 0.5) * scale;
                double ww = 0.0;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                int base = xx * ksize;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.apply((x + xmin - center + 0.5) * invFilterscale);
                    kk[base + x] = w;
                    ww += w;
                }
                if (ww != 0.0) {
                    for (int x = 0; x < xmax; x++) kk[base + x] /= ww;
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            int[] fixed = new int[kk.length];
            double one = 1 << PRECISION_BITS;
            for (int i = 0; i < kk.length; i++) {
                fixed[i] = kk[i] < 0 ? (int) (-0.5 + kk[i] * one) : (int) (0.5 + kk[i] * one);
            }
            return new Coeffs(ksize, bounds, kk, fixed);
        }
    }
}
