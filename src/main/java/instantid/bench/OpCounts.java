package instantid.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import instantid.nn.ControlNet;
import instantid.nn.IpContext;
import instantid.nn.IpIdentity;
import instantid.nn.UNet;
import instantid.nn.UNetExtras;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.SdxlModels;
import instantid.tensor.Scope;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The native ops of one UNet forward (and one IdentityNet pass): the arrays it creates (each op
 * returns one), counted by one NDScope with the blocks' own scopes flattened, on an 8x8 latent —
 * the count does not depend on the image size. That scope keeps every array of the forward alive
 * until it closes, per-use float32 copies of float16 weights included (about twice the UNet's
 * size in float32), so the bench runs it after every memory figure is taken.
 */
final class OpCounts {

    private OpCounts() {
    }

    static void put(Map<String, Object> r, SdxlModels m, InstantIdPipeline iid, int batch) {
        try (NDManager nd = m.manager.newSubManager()) {
            long b = 2L * batch;
            NDArray xs = nd.randomNormal(new Shape(b, 4, 8, 8));
            NDArray t = nd.create(new float[] {500f});
            NDArray ctx = nd.randomNormal(new Shape(b, 77, m.unet.config().crossAttentionDim())).mul(0.5f);
            NDArray pooled = nd.randomNormal(new Shape(b, m.textEncoder2.config().projectionDim()));
            NDArray timeIds = nd.create(new float[] {64, 64, 0, 0, 64, 64}).reshape(1, 6).repeat(0, b);
            UNetExtras extras = UNetExtras.NONE;
            NDArray tokens = null;
            if (iid != null) {
                float[] emb = new float[512];
                Arrays.fill(emb, 0.5f);
                tokens = iid.idTokens(nd, emb, true);
                if (batch > 1) tokens = tokens.repeat(0, batch);
                extras = UNetExtras.ip(new IpContext(List.of(new IpIdentity(tokens, 0.8f))));
            }
            UNet unet = m.unet;
            UNetExtras ex = extras;
            r.put("native_ops_per_unet_forward", count(() -> unet.forward(xs, t, ctx, pooled, timeIds, ex)));
            if (iid != null) {
                ControlNet cn = iid.identityNet();
                NDArray tok = tokens;
                NDArray cs = nd.zeros(new Shape(b, 3, 64, 64));
                r.put("native_ops_per_identitynet_pass", count(() -> cn.forward(xs, t, tok, cs, 0.8f, pooled, timeIds).mid()));
            }
        }
    }

    static int count(Bench.Forward small) {
        return Scope.flat(() -> {
            try (NDScope scope = new NDScope()) {
                small.call();
                return created(scope);
            }
        });
    }

    /** NDArrays created inside a scope (each native op returns one). */
    static int created(NDScope scope) {
        try {
            Field res = NDScope.class.getDeclaredField("resources");
            res.setAccessible(true);
            return ((Map<?, ?>) res.get(scope)).size();
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }
}
