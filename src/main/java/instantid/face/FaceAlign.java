package instantid.face;

/**
 * insightface's {@code face_align.norm_crop}: a similarity transform (rotation, uniform scale,
 * translation; never a reflection) from five keypoints to the ArcFace template, then
 * {@code cv2.warpAffine} with bilinear interpolation and a black border.
 */
public final class FaceAlign {

    /** {@code arcface_dst}: eyes, nose tip, mouth corners in a 112 x 112 crop. */
    private static final float[] ARCFACE_DST = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};

    private FaceAlign() {
    }

    /** The template scaled to {@code imageSize} as {@code estimate_norm} does (112- or 128-based). */
    public static double[] template(int imageSize) {
        double ratio, diffX;
        if (imageSize % 112 == 0) {
            ratio = imageSize / 112.0;
            diffX = 0;
        } else if (imageSize % 128 == 0) {
            ratio = imageSize / 128.0;
            diffX = 8.0 * ratio;
        } else {
            throw new IllegalArgumentException("aligned crop size must be a multiple of 112 or 128, got " + imageSize);
        }
        double[] dst = new double[10];
        for (int i = 0; i < 5; i++) {
            // float32 arithmetic as numpy does on the float32 template
            dst[2 * i] = (float) ((float) (ARCFACE_DST[2 * i] * (float) ratio) + (float) diffX);
            dst[2 * i + 1] = (float) (ARCFACE_DST[2 * i + 1] * (float) ratio);
        }
        return dst;
    }

    /**
     * {@code estimate_norm}: the 2 x 3 matrix (row-major: a, b, tx, c, d, ty) mapping image
     * coordinates to crop coordinates, estimated from {@code kps} (x0, y0, ..., x4, y4).
     */
    public static double[] estimateNorm(float[] kps, int imageSize) {
        if (kps == null || kps.length != 10) {
            throw new IllegalArgumentException("norm_crop needs 5 keypoints (10 numbers), got "
                    + (kps == null ? "none" : kps.length + " numbers"));
        }
        double[] src = new double[10];
        for (int i = 0; i < 10; i++) src[i] = kps[i];
        return similarity(src, template(imageSize));
    }

    /**
     * Least-squares similarity transform src → dst (Umeyama 1991, as skimage's
     * {@code SimilarityTransform.estimate}): in 2-D the rotation maximising trace(R^T A) with
     * det R = +1 is the angle atan2(a21 - a12, a11 + a22) of the cross-covariance A, and
     * trace(S D) equals the length of that vector, so no SVD is needed.
     */
    public static double[] similarity(double[] src, double[] dst) {
        int n = src.length / 2;
        double sxm = 0, sym = 0, dxm = 0, dym = 0;
        for (int i = 0; i < n; i++) {
            sxm += src[2 * i]; sym += src[2 * i + 1]; dxm += dst[2 * i]; dym += dst[2 * i + 1];
        }
        sxm /= n; sym /= n; dxm /= n; dym /= n;
        double a11 = 0, a12 = 0, a21 = 0, a22 = 0, var = 0;
        for (int i = 0; i < n; i++) {
            double sx = src[2 * i] - sxm, sy = src[2 * i + 1] - sym;
            double dx = dst[2 * i] - dxm, dy = dst[2 * i + 1] - dym;
            a11 += dx * sx; a12 += dx * sy; a21 += dy * sx; a22 += dy * sy;
            var += sx * sx + sy * sy;
        }
        a11 /= n; a12 /= n; a21 /= n; a22 /= n; var /= n;
        double p = a11 + a22, q = a21 - a12;
        double len = Math.hypot(p, q);
        if (len == 0 || var == 0) {
            throw new IllegalArgumentException("keypoints are degenerate (all in one place): no similarity transform");
        }
        double cos = p / len, sin = q / len, scale = len / var;
        double m00 = scale * cos, m01 = -scale * sin, m10 = scale * sin, m11 = scale * cos;
        return new double[] {m00, m01, dxm - (m00 * sxm + m01 * sym), m10, m11, dym - (m10 * sxm + m11 * sym)};
    }

    /** {@code norm_crop}: the aligned {@code size x size} crop of the face with keypoints {@code kps}. */
    public static RgbImage normCrop(RgbImage img, float[] kps, int size) {
        return warpAffine(img, estimateNorm(kps, size), size, size);
    }

    /**
     * {@code cv2.warpAffine(img, M, (w, h), borderValue=0)} for 8-bit images, with OpenCV's
     * fixed-point path: the inverse map in 1/1024 pixel, rounded to 1/32 pixel, 15-bit bilinear
     * weights, black outside the image. (OpenCV 4.11+ computes in floating point instead; the two
     * differ by at most a grey level or two.)
     */
    public static RgbImage warpAffine(RgbImage img, double[] m, int w, int h) {
        double det = m[0] * m[4] - m[1] * m[3];
        det = det != 0 ? 1.0 / det : 0;
        double i00 = m[4] * det, i11 = m[0] * det, i01 = -m[1] * det, i10 = -m[3] * det;
        double i02 = -i00 * m[2] - i01 * m[5], i12 = -i10 * m[2] - i11 * m[5];
        final int abScale = 1 << 10, roundDelta = abScale / 32 / 2;
        int sw = img.width(), sh = img.height();
        byte[] s = img.rgb();
        byte[] out = new byte[w * h * 3];
        int[] adelta = new int[w], bdelta = new int[w];
        for (int x = 0; x < w; x++) {
            adelta[x] = (int) Math.rint(i00 * x * abScale);
            bdelta[x] = (int) Math.rint(i10 * x * abScale);
        }
        for (int y = 0; y < h; y++) {
            int x0 = (int) Math.rint((i01 * y + i02) * abScale) + roundDelta;
            int y0 = (int) Math.rint((i11 * y + i12) * abScale) + roundDelta;
            for (int x = 0; x < w; x++) {
                int xx = (x0 + adelta[x]) >> 5, yy = (y0 + bdelta[x]) >> 5;
                int sx = xx >> 5, sy = yy >> 5;
                float fx = (xx & 31) / 32f, fy = (yy & 31) / 32f;
                int w0 = (int) Math.rint((1f - fy) * (1f - fx) * 32768), w1 = (int) Math.rint((1f - fy) * fx * 32768);
                int w2 = (int) Math.rint(fy * (1f - fx) * 32768), w3 = (int) Math.rint(fy * fx * 32768);
                int o = (y * w + x) * 3;
                if (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0) continue; // border value 0
                boolean in00 = sx >= 0 && sy >= 0, in01 = sx + 1 < sw && sy >= 0;
                boolean in10 = sx >= 0 && sy + 1 < sh, in11 = sx + 1 < sw && sy + 1 < sh;
                for (int c = 0; c < 3; c++) {
                    int v00 = in00 ? s[(sy * sw + sx) * 3 + c] & 0xff : 0;
                    int v01 = in01 ? s[(sy * sw + sx + 1) * 3 + c] & 0xff : 0;
                    int v10 = in10 ? s[((sy + 1) * sw + sx) * 3 + c] & 0xff : 0;
                    int v11 = in11 ? s[((sy + 1) * sw + sx + 1) * 3 + c] & 0xff : 0;
                    int v = (v00 * w0 + v01 * w1 + v10 * w2 + v11 * w3 + (1 << 14)) >> 15;
                    out[o + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
