package instantid.pipeline;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The few OpenCV drawing routines InstantID's {@code draw_kps} uses, reproduced pixel for pixel in
 * plain Java on an interleaved int raster (OpenCV 4, imgproc/src/drawing.cpp): {@code ellipse2Poly}
 * (degree-table sin/cos, points rounded half-to-even), {@code fillConvexPoly} with line type 8 and
 * shift 0 (outline drawn with 8-connected Bresenham lines, then the 16.16 fixed-point scanline fill)
 * and the filled {@code circle} of thickness -1 (the midpoint-circle {@code Circle} path, which
 * cv::circle takes for line type 8, shift 0 and thickness &lt;= 1). No AWT.
 */
public final class CvRaster {

    private static final int XY_SHIFT = 16;
    private static final long XY_ONE = 1L << XY_SHIFT;

    /** sin of whole degrees 0..450 rounded to 7 decimals, as float — OpenCV's SinTable. */
    private static final float[] SIN_TABLE = new float[451];

    static {
        for (int d = 0; d <= 450; d++) {
            BigDecimal v = new BigDecimal(Math.sin(Math.toRadians(d))).setScale(7, RoundingMode.HALF_UP);
            SIN_TABLE[d] = Float.parseFloat(v.toPlainString());
        }
    }

    public final int width;
    public final int height;
    public final int channels;
    /** Row-major, interleaved channels. */
    public final int[] data;

    public CvRaster(int width, int height, int channels) {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("raster size must be positive, got " + width + "x" + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = new int[Math.multiplyExact(Math.multiplyExact(width, height), channels)];
    }

    /** The table value OpenCV uses for sin of {@code degrees} (0..450). */
    static float sinTable(int degrees) {
        return SIN_TABLE[degrees];
    }

    /** cv::ellipse2Poly(center, axes, angle, arcStart, arcEnd, delta) with integer points. */
    public static List<int[]> ellipse2Poly(int cx, int cy, int axisW, int axisH, int angle, int arcStart, int arcEnd, int delta) {
        if (delta <= 0 || delta > 180) throw new IllegalArgumentException("delta must be in 1..180, got " + delta);
        while (angle < 0) angle += 360;
        while (angle > 360) angle -= 360;
        if (arcStart > arcEnd) {
            int t = arcStart;
            arcStart = arcEnd;
            arcEnd = t;
        }
        while (arcStart < 0) {
            arcStart += 360;
            arcEnd += 360;
        }
        while (arcEnd > 360) {
            arcEnd -= 360;
            arcStart -= 360;
        }
        if (arcEnd - arcStart > 360) {
            arcStart = 0;
            arcEnd = 360;
        }
        int a = angle + (angle < 0 ? 360 : 0);
        float beta = SIN_TABLE[a];
        float alpha = SIN_TABLE[450 - a];
        List<double[]> pts = new ArrayList<>();
        for (int i = arcStart; i < arcEnd + delta; i += delta) {
            int ang = i;
            if (ang > arcEnd) ang = arcEnd;
            if (ang < 0) ang += 360;
            double x = axisW * (double) SIN_TABLE[450 - ang];
            double y = axisH * (double) SIN_TABLE[ang];
            pts.add(new double[] {cx + x * alpha - y * beta, cy + x * beta + y * alpha});
        }
        List<int[]> out = new ArrayList<>();
        int px = Integer.MIN_VALUE, py = Integer.MIN_VALUE;
        for (double[] p : pts) {
            int x = (int) Math.rint(p[0]), y = (int) Math.rint(p[1]);
            if (x != px || y != py) {
                out.add(new int[] {x, y});
                px = x;
                py = y;
            }
        }
        if (out.size() == 1) {
            out.clear();
            out.add(new int[] {cx, cy});
            out.add(new int[] {cx, cy});
        }
        return out;
    }

    private void put(int x, int y, int[] color) {
        System.arraycopy(color, 0, data, (y * width + x) * channels, channels);
    }

    private void hline(int y, int x1, int x2, int[] color) {
        for (int x = x1; x <= x2; x++) put(x, y, color);
    }

    /** cv::line with 8-connectivity (LineIterator, left to right), clipped to the raster. */
    public void line(int x1, int y1, int x2, int y2, int[] color) {
        if (x1 < 0 || x1 >= width || x2 < 0 || x2 >= width || y1 < 0 || y1 >= height || y2 < 0 || y2 >= height) {
            long[] p = {x1, y1, x2, y2};
            if (!clipLine(width, height, p)) return;
            x1 = (int) p[0];
            y1 = (int) p[1];
            x2 = (int) p[2];
            y2 = (int) p[3];
        }
        int dx = x2 - x1, dy = y2 - y1;
        if (dx < 0) {
            dx = -dx;
            dy = -dy;
            x1 = x2;
            y1 = y2;
        }
        int sy = 1;
        if (dy < 0) {
            dy = -dy;
            sy = -1;
        }
        boolean vert = dy > dx;
        if (vert) {
            int t = dx;
            dx = dy;
            dy = t;
        }
        int err = dx - (dy + dy), plusDelta = dx + dx, minusDelta = -(dy + dy);
        int x = x1, y = y1;
        for (int k = 0; k <= dx; k++) {
            put(x, y, color);
            boolean plus = err < 0;
            err += minusDelta + (plus ? plusDelta : 0);
            if (vert) {
                y += sy;
                if (plus) x += 1;
            } else {
                x += 1;
                if (plus) y += sy;
            }
        }
    }

    /** cv::clipLine on a w x h image; p = {x1, y1, x2, y2} is updated in place. */
    static boolean clipLine(long w, long h, long[] p) {
        if (w <= 0 || h <= 0) return false;
        long right = w - 1, bottom = h - 1;
        long x1 = p[0], y1 = p[1], x2 = p[2], y2 = p[3];
        int c1 = code(x1, y1, right, bottom), c2 = code(x2, y2, right, bottom);
        if ((c1 & c2) == 0 && (c1 | c2) != 0) {
            long a;
            if ((c1 & 12) != 0) {
                a = c1 < 8 ? 0 : bottom;
                x1 += (long) ((double) (a - y1) * (x2 - x1) / (y2 - y1));
                y1 = a;
                c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
            }
            if ((c2 & 12) != 0) {
                a = c2 < 8 ? 0 : bottom;
                x2 += (long) ((double) (a - y2) * (x2 - x1) / (y2 - y1));
                y2 = a;
                c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
            }
            if ((c1 & c2) == 0 && (c1 | c2) != 0) {
                if (c1 != 0) {
                    a = c1 == 1 ? 0 : right;
                    y1 += (long) ((double) (a - x1) * (y2 - y1) / (x2 - x1));
                    x1 = a;
                    c1 = 0;
                }
                if (c2 != 0) {
                    a = c2 == 1 ? 0 : right;
                    y2 += (long) ((double) (a - x2) * (y2 - y1) / (x2 - x1));
                    x2 = a;
                    c2 = 0;
                }
            }
        }
        p[0] = x1;
        p[1] = y1;
        p[2] = x2;
        p[3] = y2;
        return (c1 | c2) == 0;
    }

    private static int code(long x, long y, long right, long bottom) {
        return (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
    }

    /** cv::fillConvexPoly(img, pts, color, LINE_8, shift 0). */
    public void fillConvexPoly(List<int[]> pts, int[] color) {
        int npts = pts.size();
        if (npts == 0) return;
        long[] vx = new long[npts], vy = new long[npts];
        for (int i = 0; i < npts; i++) {
            vx[i] = pts.get(i)[0];
            vy[i] = pts.get(i)[1];
        }
        final long delta1 = XY_ONE >> 1, delta2 = XY_ONE >> 1;
        int imin = 0;
        long xmin = vx[0], xmax = vx[0], ymin = vy[0], ymax = vy[0];
        long p0x = vx[npts - 1], p0y = vy[npts - 1];
        for (int i = 0; i < npts; i++) {
            if (vy[i] < ymin) {
                ymin = vy[i];
                imin = i;
            }
            ymax = Math.max(ymax, vy[i]);
            xmax = Math.max(xmax, vx[i]);
            xmin = Math.min(xmin, vx[i]);
            line((int) p0x, (int) p0y, (int) vx[i], (int) vy[i], color);
            p0x = vx[i];
            p0y = vy[i];
        }
        if (npts < 3 || (int) xmax < 0 || (int) ymax < 0 || (int) xmin >= width || (int) ymin >= height) return;
        ymax = Math.min(ymax, height - 1);
        int[] eIdx = {imin, imin}, eDi = {1, npts - 1}, eYe = {(int) ymin, (int) ymin};
        long[] eX = {-XY_ONE, -XY_ONE}, eDx = {0, 0};
        int y = (int) ymin;
        int edges = npts;
        do {
            for (int i = 0; i < 2; i++) {
                if (y >= eYe[i]) {
                    int idx0 = eIdx[i], di = eDi[i];
                    int idx = idx0 + di;
                    if (idx >= npts) idx -= npts;
                    while (edges-- > 0) {
                        int ty = (int) vy[idx];
                        if (ty > y) {
                            long xs = vx[idx0] << XY_SHIFT, xe = vx[idx] << XY_SHIFT;
                            eYe[i] = ty;
                            eDx[i] = ((xe - xs) * 2 + (ty - y)) / (2L * (ty - y));
                            eX[i] = xs;
                            eIdx[i] = idx;
                            break;
                        }
                        idx0 = idx;
                        idx += di;
                        if (idx >= npts) idx -= npts;
                    }
                }
            }
            if (edges < 0) break;
            if (y >= 0) {
                int left = 0, right = 1;
                if (eX[0] > eX[1]) {
                    left = 1;
                    right = 0;
                }
                int xx1 = (int) ((eX[left] + delta1) >> XY_SHIFT);
                int xx2 = (int) ((eX[right] + delta2) >> XY_SHIFT);
                if (xx2 >= 0 && xx1 < width) {
                    if (xx1 < 0) xx1 = 0;
                    if (xx2 >= width) xx2 = width - 1;
                    hline(y, xx1, xx2, color);
                }
            }
            eX[0] += eDx[0];
            eX[1] += eDx[1];
        } while (++y <= (int) ymax);
    }

    /** cv::circle(img, center, radius, color, thickness -1): OpenCV's filled midpoint circle. */
    public void fillCircle(int cx, int cy, int radius, int[] color) {
        if (radius < 0) throw new IllegalArgumentException("radius must be >= 0, got " + radius);
        int err = 0, dx = radius, dy = 0, plus = 1, minus = (radius << 1) - 1;
        boolean inside = cx >= radius && cx < width - radius && cy >= radius && cy < height - radius;
        while (dx >= dy) {
            int y11 = cy - dy, y12 = cy + dy, y21 = cy - dx, y22 = cy + dx;
            int x11 = cx - dx, x12 = cx + dx, x21 = cx - dy, x22 = cx + dy;
            if (inside) {
                hline(y11, x11, x12, color);
                hline(y12, x11, x12, color);
                hline(y21, x21, x22, color);
                hline(y22, x21, x22, color);
            } else if (x11 < width && x12 >= 0 && y21 < height && y22 >= 0) {
                x11 = Math.max(x11, 0);
                x12 = Math.min(x12, width - 1);
                if (y11 >= 0 && y11 < height) hline(y11, x11, x12, color);
                if (y12 >= 0 && y12 < height) hline(y12, x11, x12, color);
                if (x21 < width && x22 >= 0) {
                    x21 = Math.max(x21, 0);
                    x22 = Math.min(x22, width - 1);
                    if (y21 >= 0 && y21 < height) hline(y21, x21, x22, color);
                    if (y22 >= 0 && y22 < height) hline(y22, x21, x22, color);
                }
            }
            dy++;
            err += plus;
            plus += 2;
            int mask = (err <= 0 ? 1 : 0) - 1;
            err -= minus & mask;
            dx += mask;
            minus -= mask & 2;
        }
    }
}
