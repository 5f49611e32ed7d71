package instantid.face;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCRFD decoding for every output layout, with synthetic network outputs. */
class ScrfdDecoderTest {

    static final int W = 256, H = 192;

    /** Zero outputs for {@code layout} at a W x H input (all scores 0). */
    static List<float[]> zeros(ScrfdDecoder.Layout l) {
        List<float[]> out = new ArrayList<>();
        int[] per = {1, 4, 10};
        for (int kind = 0; kind < (l.useKps() ? 3 : 2); kind++) {
            for (int stride : l.strides()) {
                out.add(new float[(H / stride) * (W / stride) * l.anchors() * per[kind]]);
            }
        }
        return out;
    }

    /** Sets anchor (row, col, a) of level {@code level}: score, box distances, keypoint offsets. */
    static void hot(ScrfdDecoder.Layout l, List<float[]> outs, int level, int row, int col, int a, float score,
                    float[] dist, float[] kpsOffsets) {
        int width = W / l.strides()[level];
        int idx = (row * width + col) * l.anchors() + a;
        outs.get(level)[idx] = score;
        System.arraycopy(dist, 0, outs.get(level + l.fmc()), idx * 4, 4);
        if (l.useKps()) System.arraycopy(kpsOffsets, 0, outs.get(level + 2 * l.fmc()), idx * 10, 10);
    }

    @ParameterizedTest(name = "{0} outputs, batched={1}")
    @CsvSource({"6,false", "6,true", "9,false", "9,true", "10,false", "10,true", "15,false", "15,true"})
    void decodesEveryLayoutAtTheRightAnchor(int n, boolean batched) {
        ScrfdDecoder.Layout l = ScrfdDecoder.Layout.forOutputs(n, batched);
        assertEquals(n, l.outputs());
        assertEquals(batched, l.batched());
        assertEquals(n == 9 || n == 15, l.useKps());
        assertEquals(n <= 9 ? 2 : 1, l.anchors());
        List<float[]> outs = zeros(l);
        // the deepest level, last cell's neighbour, last anchor: catches row/col/anchor mix-ups
        int level = l.fmc() - 1, stride = l.strides()[level];
        int rows = H / stride, cols = W / stride;
        int row = rows - 1, col = Math.max(0, cols - 2), a = l.anchors() - 1;
        float[] dist = {0.5f, 0.25f, 1.0f, 2.0f};
        float[] ko = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f};
        hot(l, outs, level, row, col, a, 0.9f, dist, ko);
        // a second, weaker face at stride 8, cell (1, 2), anchor 0
        hot(l, outs, 0, 1, 2, 0, 0.6f, new float[] {1, 1, 1, 1}, ko);
        double detScale = 0.5;
        List<ScrfdDecoder.Detection> d = ScrfdDecoder.candidates(l, outs, W, H, 0.5f, detScale);
        assertEquals(2, d.size());
        ScrfdDecoder.Detection top = d.get(0);
        float cx = col * stride, cy = row * stride;
        assertEquals(0.9f, top.score());
        assertEquals((cx - 0.5f * stride) / 0.5f, top.x1(), 1e-4);
        assertEquals((cy - 0.25f * stride) / 0.5f, top.y1(), 1e-4);
        assertEquals((cx + 1.0f * stride) / 0.5f, top.x2(), 1e-4);
        assertEquals((cy + 2.0f * stride) / 0.5f, top.y2(), 1e-4);
        if (l.useKps()) {
            for (int k = 0; k < 5; k++) {
                assertEquals((cx + ko[2 * k] * stride) / 0.5f, top.kps()[2 * k], 1e-4);
                assertEquals((cy + ko[2 * k + 1] * stride) / 0.5f, top.kps()[2 * k + 1], 1e-4);
            }
        } else {
            assertNull(top.kps());
        }
        ScrfdDecoder.Detection second = d.get(1);
        assertEquals((2 * 8 - 8) / 0.5f, second.x1(), 1e-4);
        assertEquals((1 * 8 - 8) / 0.5f, second.y1(), 1e-4);
    }

    @Test
    void thresholdIsInclusiveAndWrongSizesAreNamed() {
        ScrfdDecoder.Layout l = ScrfdDecoder.Layout.forOutputs(9, false);
        List<float[]> outs = zeros(l);
        hot(l, outs, 1, 0, 0, 1, 0.5f, new float[4], new float[10]);
        assertEquals(1, ScrfdDecoder.candidates(l, outs, W, H, 0.5f, 1).size());
        assertEquals(0, ScrfdDecoder.candidates(l, outs, W, H, 0.50001f, 1).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScrfdDecoder.candidates(l, outs, W * 2, H, 0.5f, 1));
        assertTrue(e.getMessage().contains("stride 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScrfdDecoder.Layout.forOutputs(1, false));
    }

    static ScrfdDecoder.Detection box(float x1, float y1, float x2, float y2, float s) {
        return new ScrfdDecoder.Detection(x1, y1, x2, y2, s, null);
    }

    @Test
    void nmsUsesPlusOneAreasAndKeepsTheBetterBox() {
        // 10x10 boxes (+1 → 11x11) shifted by 4: inter 7*11 = 77, union 242 - 77 = 165, IoU 0.467
        ScrfdDecoder.Detection a = box(0, 0, 10, 10, 0.9f), b = box(4, 0, 14, 10, 0.8f);
        assertEquals(List.of(a), ScrfdDecoder.nms(List.of(b, a), 0.4f));
        assertEquals(List.of(a, b), ScrfdDecoder.nms(List.of(b, a), 0.5f));
        // without +1 the IoU would be 60/140 = 0.43 and b would survive 0.45; with +1 it does not
        assertEquals(List.of(a), ScrfdDecoder.nms(List.of(a, b), 0.45f));
    }

    @Test
    void tiesComeOutReversedLikeNumpysArgsortReversed() {
        ScrfdDecoder.Detection a = box(0, 0, 1, 1, 0.5f), b = box(100, 0, 101, 1, 0.5f), c = box(200, 0, 201, 1, 0.7f);
        assertEquals(List.of(c, b, a), ScrfdDecoder.argsortDescending(List.of(a, b, c)));
    }

    @Test
    void maxNumRanksByAreaMinusTwiceCentreOffset() {
        // image 200x100, centre (100, 50). big: area 2500, far from centre; small: area 400 at centre
        ScrfdDecoder.Detection big = box(0, 0, 50, 50, 0.9f), small = box(90, 40, 110, 60, 0.8f);
        // big: offsets (-75, -25) → 2500 - 2*6250 < 0; small: 400 - 0
        assertEquals(List.of(small), ScrfdDecoder.limit(List.of(big, small), 1, 200, 100, false));
        assertEquals(List.of(big), ScrfdDecoder.limit(List.of(big, small), 1, 200, 100, true));
        assertEquals(2, ScrfdDecoder.limit(List.of(big, small), 0, 200, 100, false).size());
    }

    @Test
    void candidatesAreScaledBackByDetScale() {
        ScrfdDecoder.Layout l = ScrfdDecoder.Layout.forOutputs(15, true);
        List<float[]> outs = zeros(l);
        hot(l, outs, 2, 1, 1, 0, 0.7f, new float[] {1, 1, 1, 1}, new float[10]);
        ScrfdDecoder.Detection d = ScrfdDecoder.candidates(l, outs, W, H, 0.1f, 2.0).get(0);
        assertArrayEquals(new float[] {0, 0, 32, 32}, new float[] {d.x1(), d.y1(), d.x2(), d.y2()}, 1e-5f);
        assertEquals(16f, d.kps()[0], 1e-5f);
    }
}
