package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.nn.Attention;
import instantid.nn.ControlNet;
import instantid.nn.IpContext;
import instantid.nn.IpIdentity;
import instantid.tensor.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Enhance non-face region": the masks' samples, and IdentityNet / IP attention confined to the face box. */
class FaceRegionMaskTest {

    private static final int W = 64, H = 64;
    private static final float[] BOX = {12.9f, 8.2f, 40.7f, 33.9f}; // int(): x 12..39, y 8..32

    private static InstantIdPipeline p;
    private static NDManager nd;

    @BeforeAll
    static void load() {
        p = TinyModels.instantId();
        nd = p.sdxl().manager.newSubManager();
    }

    @AfterAll
    static void close() {
        if (nd != null) nd.close();
        if (p != null) p.close();
    }

    @Test
    void bilinearMaskIsTorchsHalfPixelInterpolationOfTheBox() {
        // /8: column d samples pixels 8d+3 and 8d+4 half and half; x inside for 12..39
        float[] m8 = FaceRegionMask.bilinear(BOX, W, H, 8, 8);
        float[] row2 = new float[8];
        System.arraycopy(m8, 2 * 8, row2, 0, 8);
        assertArrayEquals(new float[] {0, 0.5f, 1, 1, 1, 0, 0, 0}, row2);
        // rows: y inside for 8..32: row 4 samples 35 and 36, outside; row 0 samples 3, 4
        assertEquals(0f, m8[0 * 8 + 3]);
        assertEquals(1f, m8[3 * 8 + 3]);
        assertEquals(0f, m8[4 * 8 + 3]);
        // /16: column d samples pixels 16d+7 and 16d+8
        float[] m16 = FaceRegionMask.bilinear(BOX, W, H, 4, 4);
        assertArrayEquals(new float[] {0, 1, 0.5f, 0}, new float[] {m16[4], m16[5], m16[6], m16[7]});
    }

    @Test
    void nearestMaskTakesTheTopLeftPixelOfEachCell() {
        float[] m8 = FaceRegionMask.nearest(BOX, W, H, 8, 8);
        // columns: pixels 0, 8, 16, ... inside for 12..39 → 2, 3, 4; rows: pixels 8..32 → 1..4
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                boolean in = j >= 2 && j <= 4 && i >= 1 && i <= 4;
                assertEquals(in ? 1f : 0f, m8[i * 8 + j], "cell " + i + "," + j);
            }
        }
        // a box past the canvas is clipped, not wrapped around
        float[] off = FaceRegionMask.nearest(new float[] {-20, -5, 20, 70}, W, H, 8, 8);
        assertEquals(1f, off[0]);
        assertEquals(1f, off[7 * 8 + 2]);
        assertEquals(0f, off[7 * 8 + 3]);
    }

    @Test
    void identityNetResidualsAreZeroOutsideTheBoxAndUnchangedInsideAtEveryResolution() {
        NDArray lat = nd.randomNormal(new Shape(2, 4, H / 8, W / 8));
        NDArray tokens = p.idTokens(nd, TinyModels.embedding(3), true);
        NDArray cond = InstantIdPipeline.kpsImage(nd, instantid.face.Keypoints.of(TinyModels.kps(26, 20, 12)), W, H, true);
        PromptEncoding.Conditioning c = PromptEncoding.encode(p.sdxl(), nd, "a person", "", true, Progress.NONE);
        NDArray timeIds = TimeIds.of(nd, H, W, 2);
        ControlNet.Residuals r = p.identityNet().forward(lat, nd.create(new float[] {500f}), tokens, cond, 0.8f,
                c.pooled(), timeIds);
        ControlNet.Residuals masked = FaceRegionMask.apply(r, BOX, W, H);
        List<NDArray> before = new java.util.ArrayList<>(r.down());
        before.add(r.mid());
        List<NDArray> after = new java.util.ArrayList<>(masked.down());
        after.add(masked.mid());
        java.util.Set<Long> sizes = new java.util.TreeSet<>();
        int inside = 0, outside = 0;
        for (int k = 0; k < before.size(); k++) {
            Shape s = before.get(k).getShape();
            int gh = (int) s.get(2), gw = (int) s.get(3), ch = (int) (s.get(0) * s.get(1));
            sizes.add((long) gh);
            float[] m = FaceRegionMask.bilinear(BOX, W, H, gw, gh);
            float[] a = before.get(k).toFloatArray(), b = after.get(k).toFloatArray();
            for (int q = 0; q < ch; q++) {
                for (int p2 = 0; p2 < gh * gw; p2++) {
                    int i = q * gh * gw + p2;
                    if (m[p2] == 0f) {
                        assertEquals(0f, b[i], 0f, "residual " + k + " outside the box");
                        outside++;
                    } else if (m[p2] == 1f) {
                        assertEquals(a[i], b[i], 0f, "residual " + k + " inside the box");
                        inside++;
                    } else {
                        assertEquals(a[i] * m[p2], b[i], 1e-6f);
                    }
                }
            }
        }
        assertTrue(sizes.size() >= 2, "residuals at several resolutions: " + sizes);
        assertTrue(inside > 0 && outside > 0);
    }

    @Test
    void ipAttentionOutputIsZeroOutsideTheBoxAndUnchangedInsideAtEveryResolution() {
        Weights uw = p.sdxl().unet.weights();
        String prefix = null;
        for (String n : uw.names()) {
            if (n.endsWith("attn2.to_k_ip.weight")) {
                prefix = n.substring(0, n.length() - "to_k_ip.weight".length());
                break;
            }
        }
        assertTrue(prefix != null, "the tiny UNet has IP attention");
        Attention att = new Attention(uw.sub(prefix), 1, "test");
        long c = uw.shape(prefix + "to_q.weight").get(1);
        NDArray text = PromptEncoding.encode(p.sdxl(), nd, "a person", "", true, Progress.NONE).embeds();
        NDArray tokens = p.idTokens(nd, TinyModels.embedding(4), true);
        NDArray mask = FaceRegionMask.ipMask(nd, BOX, W, H);
        IpContext masked = new IpContext(List.of(new IpIdentity(tokens, 0.8f, mask, true)));
        IpContext full = IpContext.single(tokens, 0.8f);
        IpContext none = IpContext.single(tokens, 0f);
        for (int g : new int[] {8, 4, 2}) {
            NDArray x = nd.randomNormal(new Shape(2, (long) g * g, c)).toType(DataType.FLOAT32, false);
            float[] om = att.forward(x, text, masked, g, g).toFloatArray();
            float[] of = att.forward(x, text, full, g, g).toFloatArray();
            float[] on = att.forward(x, text, none, g, g).toFloatArray();
            assertFalse(java.util.Arrays.equals(of, on), "the IP path acts (the test can fail)");
            float[] m = FaceRegionMask.nearest(BOX, W, H, g, g); // the reference's mask at this resolution
            int out = (int) (om.length / 2 / (g * g));
            int in = 0, off = 0;
            for (int b = 0; b < 2; b++) {
                for (int pix = 0; pix < g * g; pix++) {
                    for (int k = 0; k < out; k++) {
                        int i = (b * g * g + pix) * out + k;
                        assertEquals(m[pix] == 1f ? of[i] : on[i], om[i], 0f, "grid " + g + " cell " + pix);
                    }
                    if (m[pix] == 1f) in++;
                    else off++;
                }
            }
            assertTrue(in > 0 && off > 0, "grid " + g + ": cells inside and outside the box");
        }
    }

    @Test
    void inTheWholePipelineAWholeCanvasBoxChangesNothingAndAFaceBoxDoes() {
        GenerationSettings g = TinyModels.settings(11).withSize(W, H);
        Identity id = TinyModels.identity(1, g);
        byte[] off = TinyModels.pixels(p.generate(TinyModels.request(g, id.withFaceBox(BOX)).withEnhanceFaceRegion(false),
                Progress.NONE));
        byte[] whole = TinyModels.pixels(p.generate(TinyModels.request(g, id.withFaceBox(new float[] {0, 0, W, H})),
                Progress.NONE));
        byte[] face = TinyModels.pixels(p.generate(TinyModels.request(g, id.withFaceBox(BOX)), Progress.NONE));
        assertArrayEquals(off, whole, "a mask of ones is no mask");
        assertTrue(TinyModels.maxDiff(off, face) > 0, "the face-box mask changes the image");
    }

    @Test
    void theOptionAndTheSingleIdentityDecideWhetherItApplies() {
        GenerationSettings g = TinyModels.settings(1);
        Identity withBox = TinyModels.identity(1, g).withFaceBox(BOX);
        assertTrue(TinyModels.request(g, withBox).enhancesFaceRegion());
        assertFalse(TinyModels.request(g, withBox).withEnhanceFaceRegion(false).enhancesFaceRegion());
        assertFalse(TinyModels.request(g, TinyModels.identity(1, g)).enhancesFaceRegion(), "no box, nothing to enhance");
        Identity a = withBox, b = new Identity(TinyModels.embedding(2), TinyModels.kps(48, 30, 12), 0.8, 0.8,
                new Region(32, 0, 32, 64, 0), "");
        assertFalse(TinyModels.request(g, a, b).enhancesFaceRegion(), "several identities keep their regional masks");
        // the settings JSON keeps both the option and the box
        InstantIdRequest back = SettingsJson.readInstantId(SettingsJson.toJson(SettingsJson.of(
                TinyModels.request(g, withBox).withEnhanceFaceRegion(false), 5)));
        assertFalse(back.enhanceFaceRegion());
        assertArrayEquals(BOX, back.identities().get(0).faceBox());
        assertEquals(PromptEncoder.LPW, back.generation().promptEncoder());
    }
}
