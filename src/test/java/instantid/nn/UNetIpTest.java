package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoupled IP path: off means exactly off, per-block scales, region masks. */
class UNetIpTest {

    private static TinyUNet t;
    private static float[] plain;

    @BeforeAll
    static void load() throws Exception {
        t = new TinyUNet();
        plain = TinyUNet.floats(t.forward(UNetExtras.NONE));
    }

    @AfterAll
    static void close() {
        if (t != null) t.close();
    }

    private static float[] withIp(IpContext ip) {
        return TinyUNet.floats(t.forward(UNetExtras.ip(ip)));
    }

    private static boolean differs(float[] a, float[] b, double by) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max > by;
    }

    @Test
    void ipScaleZeroIsExactlyThePlainUNet() {
        assertArrayEquals(plain, withIp(IpContext.single(t.ipTokens, 0f)));
        // and a non-zero scale really acts (the comparison above can fail)
        assertTrue(differs(plain, withIp(IpContext.single(t.ipTokens, 1f)), 1e-4));
    }

    @Test
    void zeroBlockScalesEverywhereIsThePlainUNet() {
        IpContext ip = IpContext.single(t.ipTokens, 1f).withBlockScales(BlockScales.of(Map.of(), 0f));
        assertArrayEquals(plain, withIp(ip));
    }

    @Test
    void aBlockScaledToZeroGivesThePlainOutputOfThatBlock() {
        UNetEncoder enc = new UNetEncoder(t.weights, t.config);
        NDArray emb = enc.embedding(t.timestep, 2, t.textEmbeds, t.timeIds);
        NDArray h = enc.convIn(t.sample);
        List<NDArray> ref = enc.down(h, emb, t.text, null);
        // IP everywhere except down block 1: block 1's skip states are the plain ones
        IpContext offIn1 = IpContext.single(t.ipTokens, 1f).withBlockScales(BlockScales.of(Map.of("down_blocks.1", 0f), 1f));
        List<NDArray> got = enc.down(h, emb, t.text, offIn1);
        int lastOfBlock1 = 1 + t.config.downLayers().get(0) + 1 + t.config.downLayers().get(1); // +downsamplers
        for (int i = 0; i <= lastOfBlock1; i++) {
            assertArrayEquals(TinyUNet.floats(ref.get(i)), TinyUNet.floats(got.get(i)), "skip state " + i);
        }
        // block 2 (IP on) differs, and with IP on in block 1 its states differ: the test can fail
        assertTrue(differs(TinyUNet.floats(ref.get(ref.size() - 1)), TinyUNet.floats(got.get(got.size() - 1)), 1e-5));
        List<NDArray> on = enc.down(h, emb, t.text, IpContext.single(t.ipTokens, 1f));
        assertTrue(differs(TinyUNet.floats(ref.get(lastOfBlock1)), TinyUNet.floats(on.get(lastOfBlock1)), 1e-5));
    }

    @Test
    void instantStyleBlockScalesSelectModulesByName() {
        assertEquals(1f, BlockScales.STYLE_AND_LAYOUT.scale("up_blocks.0.attentions.1"));
        assertEquals(1f, BlockScales.STYLE_AND_LAYOUT.scale("down_blocks.2.attentions.1"));
        assertEquals(0f, BlockScales.STYLE_AND_LAYOUT.scale("up_blocks.0.attentions.0"));
        assertEquals(0f, BlockScales.STYLE_ONLY.scale("down_blocks.2.attentions.1"));
        assertEquals(0f, BlockScales.STYLE_ONLY.scale("up_blocks.0.attentions.10"));
        BlockScales s = BlockScales.of(Map.of("up_blocks", 0.5f, "up_blocks.0.attentions.1", 2f), 1f);
        assertEquals(2f, s.scale("up_blocks.0.attentions.1"));
        assertEquals(0.5f, s.scale("up_blocks.1.attentions.0"));
        assertEquals(1f, s.scale("mid_block.attentions.0"));
        // the style-only preset changes the output, but less than IP everywhere
        float[] style = withIp(IpContext.single(t.ipTokens, 1f).withBlockScales(BlockScales.STYLE_ONLY));
        float[] all = withIp(IpContext.single(t.ipTokens, 1f));
        assertTrue(differs(plain, style, 1e-6));
        assertTrue(differs(style, all, 1e-6));
    }

    @Test
    void allOnesMaskIsNoMaskAndAllZeroMaskIsScaleZero() {
        float[] unmasked = withIp(IpContext.single(t.ipTokens, 0.8f));
        long hh = t.sample.getShape().get(2), ww = t.sample.getShape().get(3);
        // at the latent resolution and at pixel resolution (area-resized per layer)
        for (long f : new long[] {1, 8}) {
            NDArray ones = t.manager.ones(new Shape(hh * f, ww * f));
            NDArray zeros = t.manager.zeros(new Shape(hh * f, ww * f));
            assertArrayEquals(unmasked, withIp(new IpContext(List.of(new IpIdentity(t.ipTokens, 0.8f, ones)))), "ones x" + f);
            assertArrayEquals(plain, withIp(new IpContext(List.of(new IpIdentity(t.ipTokens, 0.8f, zeros)))), "zeros x" + f);
        }
        // a flattened [B, h*w] mask at the latent resolution is read the same way
        NDArray flat = t.manager.ones(new Shape(2, hh * ww));
        assertArrayEquals(unmasked, withIp(new IpContext(List.of(new IpIdentity(t.ipTokens, 0.8f, flat)))));
    }

    @Test
    void anIdentityActsOnlyInsideItsRegionInEachCrossAttention() {
        // one cross-attention with IP weights, on random queries at a 4x4 grid
        Attention a = new Attention(t.weights.sub("down_blocks.2.attentions.0.transformer_blocks.0.attn2."),
                t.config.downHeads().get(2), "down_blocks.2.attentions.0");
        long c = t.weights.shape("down_blocks.2.attentions.0.transformer_blocks.0.attn2.to_q.weight").get(1);
        NDArray x = t.manager.randomNormal(new Shape(2, 16, c));
        NDArray tokB = t.manager.randomNormal(t.ipTokens.getShape());
        NDArray left = t.manager.zeros(new Shape(4, 4));
        left.set(new NDIndex(":, :2"), 1f);
        NDArray right = t.manager.ones(new Shape(4, 4)).sub(left);
        IpIdentity idA = new IpIdentity(t.ipTokens, 1f, left);
        IpContext onlyA = new IpContext(List.of(idA)).masksAsImages(4, 4);
        IpContext both = new IpContext(List.of(idA, new IpIdentity(tokB, 1f, right))).masksAsImages(4, 4);
        IpContext none = null;
        float[] outA = TinyUNet.floats(a.forward(x, t.text, onlyA, 4, 4));
        float[] outBoth = TinyUNet.floats(a.forward(x, t.text, both, 4, 4));
        float[] outNone = TinyUNet.floats(a.forward(x, t.text, none, 4, 4));
        int checkedLeft = 0;
        for (int b = 0; b < 2; b++) {
            for (int p = 0; p < 16; p++) {
                boolean inLeft = p % 4 < 2;
                for (int k = 0; k < c; k++) {
                    int i = (int) ((b * 16 + p) * c + k);
                    if (inLeft) {
                        assertEquals(outA[i], outBoth[i], 0f, "B leaked into A's region at " + p);
                        checkedLeft++;
                    } else {
                        assertEquals(outNone[i], outA[i], 0f, "A leaked outside its region at " + p);
                    }
                }
            }
        }
        assertTrue(checkedLeft > 0);
        assertTrue(differs(outA, outBoth, 1e-6) && differs(outNone, outA, 1e-6));
    }

    @Test
    void splitTakesTheLastTokensAsIpTokens() {
        NDArray ehs = t.manager.randomNormal(new Shape(2, 81, 48));
        IpContext.Split s = IpContext.split(ehs, 4, 0.5f);
        assertEquals(new Shape(2, 77, 48), s.text().getShape());
        assertEquals(new Shape(2, 4, 48), s.ip().identities().get(0).tokens().getShape());
        assertEquals(0.5f, s.ip().identities().get(0).scale());
        assertArrayEquals(TinyUNet.floats(ehs.get(new NDIndex(":, 77:, :"))), TinyUNet.floats(s.ip().identities().get(0).tokens()));
        assertThrows(IllegalArgumentException.class, () -> IpContext.split(ehs, 81, 1f));
        assertThrows(IllegalArgumentException.class,
                () -> withIp(new IpContext(List.of(new IpIdentity(t.ipTokens, 1f, t.manager.ones(new Shape(2, 3, 4, 4)))))));
    }

    @Test
    void controlNetResidualsAreAddedAndCheckedAgainstTheSkipStates() {
        float[] withRes = TinyUNet.floats(t.forward(new UNetExtras(t.downResiduals, t.midResidual, null)));
        assertTrue(differs(plain, withRes, 1e-5));
        List<NDArray> tooFew = t.downResiduals.subList(0, t.downResiduals.size() - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.forward(new UNetExtras(tooFew, null, null)));
        assertTrue(e.getMessage().contains("down residuals"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
