package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.parity.Case;
import instantid.parity.FixturesTestAccess;
import instantid.tensor.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A style adapter (the tiny IP-Adapter SDXL file) beside InstantID's identity in the tiny UNet: off
 * at scale 0, InstantStyle's presets act in their blocks only, and two adapters add up.
 */
class ImagePromptAttentionTest {

    private static TinyUNet t;
    private static Weights styleLayers;
    private static Weights proj;
    private static NDArray styleTokens;
    private static TensorSource ipSrc;
    private static TensorSource projSrc;
    private static float[] plain;

    @BeforeAll
    static void load() throws Exception {
        t = new TinyUNet();
        Path file = FixturesTestAccess.requireFixtures().resolve("ip_adapter_sdxl_tiny/ip-adapter_sdxl_tiny.safetensors");
        ipSrc = TensorSources.open(file, "ip_adapter");
        projSrc = TensorSources.open(file, "image_proj");
        styleLayers = new Weights(t.manager, DataType.FLOAT32);
        assertEquals(2 * 28, IpAdapterKeys.map(styleLayers, t.weights, ipSrc, t.config));
        proj = new Weights(t.manager, DataType.FLOAT32).mapAll(projSrc, "");
        try (Case c = Case.read(FixturesTestAccess.requireFixtures().resolve("ip_adapter_sdxl_proj"))) {
            NDArray embeds = c.array(t.manager, "image_embeds"); // rows: two photos, zeros
            NDArray two = embeds.get("2:3").concat(embeds.get("0:1"), 0); // [uncond ; cond] as the UNet's batch
            styleTokens = new ImageProjModel(proj).forward(two);
        }
        plain = TinyUNet.floats(t.forward(UNetExtras.NONE));
    }

    @AfterAll
    static void close() {
        if (styleLayers != null) styleLayers.close();
        if (proj != null) proj.close();
        if (ipSrc != null) ipSrc.close();
        if (projSrc != null) projSrc.close();
        if (t != null) t.close();
    }

    private static IpImageTokens style(float scale, BlockScales blocks) {
        return new IpImageTokens(styleTokens, scale, blocks, styleLayers);
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void styleScaleZeroIsExactlyTheUNetWithoutTheAdapter() {
        IpContext off = new IpContext(List.of()).withImages(List.of(style(0f, BlockScales.UNIFORM)));
        assertArrayEquals(plain, TinyUNet.floats(t.forward(UNetExtras.ip(off))));
        IpContext on = new IpContext(List.of()).withImages(List.of(style(1f, BlockScales.UNIFORM)));
        assertTrue(maxDiff(plain, TinyUNet.floats(t.forward(UNetExtras.ip(on)))) > 1e-4, "the style adapter does nothing");
        // InstantID + style at style scale 0 = InstantID alone
        IpContext id = IpContext.single(t.ipTokens, 0.8f);
        assertArrayEquals(TinyUNet.floats(t.forward(UNetExtras.ip(id))),
                TinyUNet.floats(t.forward(UNetExtras.ip(id.withImages(List.of(style(0f, BlockScales.UNIFORM)))))));
    }

    /** Every cross-attention of the tiny UNet as the UNet builds it: (module, weights, heads). */
    private static List<Object[]> crossAttentions() {
        List<Object[]> out = new ArrayList<>();
        UNetConfig c = t.config;
        for (String p : c.attentionProcessorOrder()) {
            if (!p.contains(".attn2.")) continue;
            String path = p.substring(0, p.length() - "processor".length());
            String module = path.substring(0, path.indexOf(".transformer_blocks."));
            int heads;
            if (p.startsWith("down_blocks.")) heads = c.downHeads().get(Integer.parseInt(p.split("\\.")[1]));
            else if (p.startsWith("up_blocks.")) heads = c.upHeads(Integer.parseInt(p.split("\\.")[1]));
            else heads = c.midHeads();
            out.add(new Object[] {module, new Attention(t.weights.sub(path), heads, module), path});
        }
        return out;
    }

    private static float[] runSeeded(Attention a, String path, IpContext ip) {
        long ch = t.weights.shape(path + "to_q.weight").get(1);
        float[] v = new float[(int) (2 * 16 * ch)];
        java.util.Random r = new java.util.Random(path.hashCode());
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        NDArray x = t.manager.create(v, new Shape(2, 16, ch));
        return TinyUNet.floats(a.forward(x, t.text, ip, 4, 4));
    }

    @Test
    void styleOnlyPresetActsInUpBlock0Attention1AndNowhereElse() {
        BlockScales preset = InstantStyle.blocks(InstantStyle.STYLE, t.config);
        IpContext none = new IpContext(List.of());
        IpContext styled = none.withImages(List.of(style(1f, preset)));
        int changed = 0;
        for (Object[] e : crossAttentions()) {
            String module = (String) e[0], path = (String) e[2];
            Attention a = (Attention) e[1];
            float[] off = runSeeded(a, path, none), on = runSeeded(a, path, styled);
            if (module.equals("up_blocks.0.attentions.1")) {
                assertTrue(maxDiff(off, on) > 1e-4, path + ": the style block is not changed by the style");
                changed++;
            } else {
                assertArrayEquals(off, on, path + " changed under the style-only preset");
            }
        }
        assertTrue(changed > 0, "no cross-attention in up_blocks.0.attentions.1");
        // style + layout: the layout block too
        IpContext layout = none.withImages(List.of(style(1f, InstantStyle.blocks(InstantStyle.STYLE_AND_LAYOUT, t.config))));
        for (Object[] e : crossAttentions()) {
            String module = (String) e[0], path = (String) e[2];
            float[] off = runSeeded((Attention) e[1], path, none), on = runSeeded((Attention) e[1], path, layout);
            boolean acts = module.equals("up_blocks.0.attentions.1") || module.equals("down_blocks.2.attentions.1");
            assertEquals(acts, maxDiff(off, on) > 0, path + " under style+layout");
        }
    }

    @Test
    void styleOnlyPresetLeavesEveryDownBlockAndTheMidBlockOfTheUNetAlone() {
        UNetEncoder enc = new UNetEncoder(t.weights, t.config);
        NDArray emb = enc.embedding(t.timestep, 2, t.textEmbeds, t.timeIds);
        NDArray h = enc.convIn(t.sample);
        IpContext styled = new IpContext(List.of()).withImages(List.of(style(1f, InstantStyle.blocks("style", t.config))));
        List<NDArray> ref = enc.down(h, emb, t.text, null);
        List<NDArray> got = enc.down(h, emb, t.text, styled);
        for (int i = 0; i < ref.size(); i++) assertArrayEquals(TinyUNet.floats(ref.get(i)), TinyUNet.floats(got.get(i)), "skip " + i);
        assertArrayEquals(TinyUNet.floats(enc.mid(ref.get(ref.size() - 1), emb, t.text, null)),
                TinyUNet.floats(enc.mid(ref.get(ref.size() - 1), emb, t.text, styled)));
        assertTrue(maxDiff(plain, TinyUNet.floats(t.forward(UNetExtras.ip(styled)))) > 1e-5, "the style block did not act");
    }

    @Test
    void twoAdaptersAtOnceAreTheSumOfTheirAttentionOutputs() {
        IpContext none = new IpContext(List.of());
        IpContext id = IpContext.single(t.ipTokens, 0.7f);
        IpContext st = none.withImages(List.of(style(0.6f, BlockScales.UNIFORM)));
        IpContext both = id.withImages(List.of(style(0.6f, BlockScales.UNIFORM)));
        for (Object[] e : crossAttentions()) {
            Attention a = (Attention) e[1];
            String path = (String) e[2];
            float[] n = runSeeded(a, path, none), i = runSeeded(a, path, id), s = runSeeded(a, path, st), b = runSeeded(a, path, both);
            double worst = 0, size = 0;
            for (int k = 0; k < n.length; k++) {
                worst = Math.max(worst, Math.abs((b[k] - n[k]) - ((i[k] - n[k]) + (s[k] - n[k]))));
                size = Math.max(size, Math.abs(s[k] - n[k]));
            }
            assertTrue(worst < 1e-5, path + ": both - none differs from the sum of the two by " + worst);
            assertTrue(size > 1e-4, path + ": the style term is zero, the test would pass trivially");
        }
    }

    @Test
    void dictExpansionFollowsDiffusers() {
        BlockScales s = IpScaleDict.parse("{\"up\": {\"block_0\": [0.0, 1.0, 0.0]}}", t.config);
        assertEquals(1f, s.scale("up_blocks.0.attentions.1"));
        assertEquals(0f, s.scale("up_blocks.0.attentions.0"));
        assertEquals(0f, s.scale("down_blocks.2.attentions.1"));
        assertEquals(0f, s.scale("mid_block.attentions.0"));
        BlockScales whole = IpScaleDict.parse("{\"down\": 0.5, \"mid\": [0.25], \"up\": {\"block_1\": 2.0}}", t.config);
        assertEquals(0.5f, whole.scale("down_blocks.1.attentions.0"));
        assertEquals(0.25f, whole.scale("mid_block.attentions.0"));
        assertEquals(2f, whole.scale("up_blocks.1.attentions.2"));
        assertEquals(0f, whole.scale("up_blocks.0.attentions.0"));
        assertEquals(0.7f, IpScaleDict.parse("0.7", t.config).scale("up_blocks.0.attentions.1"));
        assertThrows(IllegalArgumentException.class, () -> IpScaleDict.parse("{\"up\": {\"block_0\": [1, 1]}}", t.config));
        assertThrows(IllegalArgumentException.class, () -> IpScaleDict.parse("{\"down\": {\"block_0\": 1}}", t.config));
        assertThrows(IllegalArgumentException.class, () -> IpScaleDict.parse("{\"left\": 1}", t.config));
    }

    @Test
    void contentSubtractionAtScaleZeroIsNone() {
        NDArray img = t.manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 4));
        NDArray text = t.manager.create(new float[] {5, 6, 7, 8}, new Shape(1, 4));
        assertArrayEquals(img.toFloatArray(), InstantStyle.subtractContent(img, text, 0f).toFloatArray());
        assertArrayEquals(new float[] {-1.5f, -1f, -0.5f, 0f}, InstantStyle.subtractContent(img, text, 0.5f).toFloatArray());
        assertThrows(IllegalArgumentException.class,
                () -> InstantStyle.subtractContent(img, t.manager.create(new float[] {1, 2}, new Shape(1, 2)), 1f));
    }
}
