package instantid.face;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The part of insightface's SCRFD that does not need a session: which outputs mean what (from
 * their count), anchor centres, {@code distance2bbox} / {@code distance2kps}, the score
 * threshold, ordering by score, NMS and the {@code max_num} ranking. Kept apart from the ONNX
 * session so every output layout can be tested with synthetic arrays.
 */
public final class ScrfdDecoder {

    /**
     * How a detector's outputs are laid out: {@code fmc} feature maps at {@code strides}, scores
     * at outputs [0, fmc), boxes at [fmc, 2 fmc), keypoints at [2 fmc, 3 fmc) when {@code useKps};
     * {@code anchors} anchors per cell; {@code batched} when outputs carry a leading batch axis.
     */
    public record Layout(int fmc, int[] strides, int anchors, boolean useKps, boolean batched) {

        /** insightface's {@code _init_vars}: the layout implied by the number of outputs. */
        public static Layout forOutputs(int outputs, boolean batched) {
            switch (outputs) {
                case 6: return new Layout(3, new int[] {8, 16, 32}, 2, false, batched);
                case 9: return new Layout(3, new int[] {8, 16, 32}, 2, true, batched);
                case 10: return new Layout(5, new int[] {8, 16, 32, 64, 128}, 1, false, batched);
                case 15: return new Layout(5, new int[] {8, 16, 32, 64, 128}, 1, true, batched);
                default: throw new IllegalArgumentException("an SCRFD detector has 6, 9, 10 or 15 outputs, found " + outputs);
            }
        }

        public int outputs() {
            return fmc * (useKps ? 3 : 2);
        }
    }

    /** One detection in input-canvas or image coordinates; {@code kps} null without keypoints. */
    public record Detection(float x1, float y1, float x2, float y2, float score, float[] kps) {
    }

    private ScrfdDecoder() {
    }

    /**
     * {@code SCRFD.forward} + {@code _detect_candidates} after the session ran: every anchor with
     * score ≥ {@code threshold}, decoded, divided by {@code detScale}, sorted by score
     * (descending). {@code outputs.get(i)} is output i flattened (a leading batch axis of 1 does
     * not change the flat order).
     */
    public static List<Detection> candidates(Layout layout, List<float[]> outputs, int inputWidth, int inputHeight,
                                             float threshold, double detScale) {
        if (outputs.size() != layout.outputs()) {
            throw new IllegalArgumentException("expected " + layout.outputs() + " outputs, got " + outputs.size());
        }
        float ds = (float) detScale;
        List<Detection> out = new ArrayList<>();
        for (int idx = 0; idx < layout.fmc(); idx++) {
            int stride = layout.strides()[idx];
            int height = inputHeight / stride, width = inputWidth / stride;
            int n = height * width * layout.anchors();
            float[] scores = outputs.get(idx);
            float[] boxes = outputs.get(idx + layout.fmc());
            float[] kps = layout.useKps() ? outputs.get(idx + 2 * layout.fmc()) : null;
            check(scores, n, 1, "scores", stride);
            check(boxes, n, 4, "boxes", stride);
            if (kps != null) check(kps, n, 10, "keypoints", stride);
            for (int a = 0; a < n; a++) {
                float s = scores[a];
                if (!(s >= threshold)) continue;
                int cell = a / layout.anchors();
                float cx = (float) ((cell % width) * stride), cy = (float) ((cell / width) * stride);
                float x1 = cx - boxes[a * 4] * stride, y1 = cy - boxes[a * 4 + 1] * stride;
                float x2 = cx + boxes[a * 4 + 2] * stride, y2 = cy + boxes[a * 4 + 3] * stride;
                float[] k = null;
                if (kps != null) {
                    k = new float[10];
                    for (int j = 0; j < 10; j += 2) {
                        k[j] = (cx + kps[a * 10 + j] * stride) / ds;
                        k[j + 1] = (cy + kps[a * 10 + j + 1] * stride) / ds;
                    }
                }
                out.add(new Detection(x1 / ds, y1 / ds, x2 / ds, y2 / ds, s, k));
            }
        }
        return argsortDescending(out);
    }

    private static void check(float[] a, int n, int per, String what, int stride) {
        if (a.length != (long) n * per) {
            throw new IllegalArgumentException("stride " + stride + " " + what + ": expected " + n + " x " + per
                    + " values for the input size, got " + a.length);
        }
    }

    /**
     * numpy's {@code scores.argsort()[::-1]} applied to the list: a stable ascending sort, then
     * reversed — so equal scores come out in reverse order. insightface sorts three times
     * (candidates, detect, nms), and the tie order of each pass shows in the result.
     */
    public static List<Detection> argsortDescending(List<Detection> dets) {
        List<Detection> out = new ArrayList<>(dets);
        out.sort(Comparator.comparingDouble(Detection::score));
        java.util.Collections.reverse(out);
        return out;
    }

    /** insightface's {@code SCRFD.nms}: greedy, IoU with the +1 pixel area convention. */
    public static List<Detection> nms(List<Detection> dets, float thresh) {
        List<Detection> order = argsortDescending(dets);
        int n = order.size();
        boolean[] gone = new boolean[n];
        List<Detection> keep = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (gone[i]) continue;
            Detection a = order.get(i);
            keep.add(a);
            float areaA = (a.x2() - a.x1() + 1) * (a.y2() - a.y1() + 1);
            for (int j = i + 1; j < n; j++) {
                if (gone[j]) continue;
                Detection b = order.get(j);
                float xx1 = Math.max(a.x1(), b.x1()), yy1 = Math.max(a.y1(), b.y1());
                float xx2 = Math.min(a.x2(), b.x2()), yy2 = Math.min(a.y2(), b.y2());
                float w = Math.max(0f, xx2 - xx1 + 1), h = Math.max(0f, yy2 - yy1 + 1);
                float inter = w * h;
                float areaB = (b.x2() - b.x1() + 1) * (b.y2() - b.y1() + 1);
                float ovr = inter / (areaA + areaB - inter);
                if (!(ovr <= thresh)) gone[j] = true;
            }
        }
        return keep;
    }

    /**
     * {@code detect}'s {@code max_num}: keep the {@code maxNum} detections with the largest
     * {@code area - 2 * squared distance of the box centre from the image centre} (metric
     * "default"), or the largest area (metric "max"). {@code maxNum <= 0} keeps all.
     */
    public static List<Detection> limit(List<Detection> dets, int maxNum, int imageWidth, int imageHeight,
                                        boolean areaOnly) {
        if (maxNum <= 0 || dets.size() <= maxNum) return dets;
        int cy = imageHeight / 2, cx = imageWidth / 2;
        double[] value = new double[dets.size()];
        Integer[] idx = new Integer[dets.size()];
        for (int i = 0; i < value.length; i++) {
            Detection d = dets.get(i);
            float area = (d.x2() - d.x1()) * (d.y2() - d.y1());
            double ox = (d.x1() + d.x2()) / 2 - cx, oy = (d.y1() + d.y2()) / 2 - cy;
            value[i] = areaOnly ? area : area - (ox * ox + oy * oy) * 2.0;
            idx[i] = i;
        }
        Arrays.sort(idx, (p, q) -> Double.compare(value[q], value[p]));
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < maxNum; i++) out.add(dets.get(idx[i]));
        return out;
    }
}
