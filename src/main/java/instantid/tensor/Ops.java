package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

import java.util.ArrayList;
import java.util.List;

/**
 * The op layer: every network computes through these few functions, so DJL's quirks live here
 * and nowhere else. Activations are always the receiver of an op (results belong to the first
 * operand's manager), statistics of normalisations are taken in float32 whatever the compute
 * dtype, and attention keeps its score matrix under {@link #attentionBudgetBytes}.
 */
public final class Ops {

    private Ops() {
    }

    /** Upper bound for one attention score block (queries x keys x heads x batch), in bytes. */
    public static volatile long attentionBudgetBytes = 256L << 20;

    /**
     * How attention is computed: {@link AttentionKernel#FUSED} (libtorch's fused kernel, falling
     * back to the composed one where it cannot load) unless the benchmark compares the two or the
     * JVM is started with {@code -Dinstantid.attention=composed}.
     */
    public static volatile AttentionKernel attentionKernel = AttentionKernel.fromProperty();

    /** y = x W^T + b over the last axis (W: [out, in]). */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    /** y = x W^T + b with weights {@code name.weight} / {@code name.bias} from {@code w}. */
    public static NDArray linear(NDArray x, Weights w, String name) {
        return linear(x, w.get(name + ".weight"), w.opt(name + ".bias"));
    }

    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /** A conv whose padding keeps "same" size for odd kernels (k/2), stride as given. */
    public static NDArray conv2d(NDArray x, Weights w, String name, int stride) {
        NDArray k = w.get(name + ".weight");
        int pad = (int) (k.getShape().get(2) / 2);
        return conv2d(x, k, w.opt(name + ".bias"), stride, pad);
    }

    /** GroupNorm over [B, C, ...] with per-channel affine, statistics in float32. */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        return Scope.run(() -> groupNormIn(x, groups, gamma, beta, eps));
    }

    private static NDArray groupNormIn(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1);
        DataType dt = x.getDataType();
        NDArray xf = dt == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray g = xf.reshape(b, groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centered = g.sub(mean);
        NDArray squared = centered.square();
        NDArray var = squared.mean(new int[] {2}, true);
        squared.close(); // at 1024 px one activation is up to 1 GiB: hold at most two at a time
        centered.divi(var.add(eps).sqrt());
        long[] affine = new long[s.dimension()];
        java.util.Arrays.fill(affine, 1);
        affine[1] = c;
        NDArray out = centered.reshape(s);
        out.muli(gamma.toType(DataType.FLOAT32, false).reshape(affine))
                .addi(beta.toType(DataType.FLOAT32, false).reshape(affine));
        return dt == DataType.FLOAT32 ? out : out.toType(dt, false);
    }

    public static NDArray groupNorm(NDArray x, Weights w, String name, int groups, float eps) {
        return groupNorm(x, groups, w.get(name + ".weight"), w.get(name + ".bias"), eps);
    }

    /** LayerNorm over the last axis, computed in float32. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        DataType dt = x.getDataType();
        long c = x.getShape().get(x.getShape().dimension() - 1);
        if (dt == DataType.FLOAT32) {
            return LayerNorm.layerNorm(x, new Shape(c), gamma, beta, eps).singletonOrThrow();
        }
        NDArray out = LayerNorm.layerNorm(x.toType(DataType.FLOAT32, false), new Shape(c),
                gamma.toType(DataType.FLOAT32, false), beta == null ? null : beta.toType(DataType.FLOAT32, false), eps)
                .singletonOrThrow();
        return out.toType(dt, false);
    }

    public static NDArray layerNorm(NDArray x, Weights w, String name, float eps) {
        return layerNorm(x, w.get(name + ".weight"), w.opt(name + ".bias"), eps);
    }

    /** x * sigmoid(x), holding one new array (the product is taken in place in the sigmoid). */
    public static NDArray silu(NDArray x) {
        return Activation.sigmoid(x).muli(x);
    }

    /** Exact (erf) GELU, as torch's default. */
    public static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** CLIP's quick_gelu: x * sigmoid(1.702 x). */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(Activation.sigmoid(x.mul(1.702f)));
    }

    /** GEGLU: proj(x) split in half along the last axis, a * gelu(gate). */
    public static NDArray geglu(NDArray projected) {
        return Scope.run(() -> gegluIn(projected));
    }

    private static NDArray gegluIn(NDArray projected) {
        long d = projected.getShape().get(projected.getShape().dimension() - 1) / 2;
        NDArray a = projected.get(new NDIndex("..., :{}", d));
        NDArray gate = projected.get(new NDIndex("..., {}:", d));
        return a.mul(gelu(gate));
    }

    /**
     * Scaled dot-product attention: q [B, Nq, H*D], k/v [B, Nk, H*D] → [B, Nq, H*D]. Fused (see
     * {@link #attentionKernel}) or composed; composed, the query axis
     * is processed in chunks so the [B*H, chunk, Nk] score block stays within the budget. An
     * optional {@code bias} broadcastable to [B, H, Nq, Nk] is added to the scores (masks).
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads, NDArray bias) {
        return Scope.run(() -> attentionIn(q, k, v, heads, bias));
    }

    private static NDArray attentionIn(NDArray q, NDArray k, NDArray v, int heads, NDArray bias) {
        Shape qs = q.getShape();
        long b = qs.get(0), nq = qs.get(1), inner = qs.get(2);
        long nk = k.getShape().get(1);
        long d = inner / heads;
        long dv = v.getShape().get(2) / heads;
        float scale = (float) (1.0 / Math.sqrt(d));
        NDArray qh = q.reshape(b, nq, heads, d).transpose(0, 2, 1, 3); // B H Nq D
        NDArray kt = k.reshape(b, nk, heads, d).transpose(0, 2, 3, 1); // B H D Nk
        NDArray vh = v.reshape(b, nk, heads, dv).transpose(0, 2, 1, 3); // B H Nk Dv
        if (attentionKernel.runsFused()) {
            NDArray kh = k.reshape(b, nk, heads, d).transpose(0, 2, 1, 3); // B H Nk D
            return FusedAttention.attend(qh, kh, vh, bias).transpose(0, 2, 1, 3).reshape(b, nq, heads * dv);
        }
        int bytes = q.getDataType().getNumOfBytes();
        long perRow = Math.max(1, b * heads * nk * (long) bytes * 2); // scores + softmax
        long chunk = Math.max(1, Math.min(nq, attentionBudgetBytes / perRow));
        if (chunk >= nq) {
            return attendChunk(qh, kt, vh, scale, bias).transpose(0, 2, 1, 3).reshape(b, nq, heads * dv);
        }
        List<NDArray> parts = new ArrayList<>();
        for (long s = 0; s < nq; s += chunk) {
            long e = Math.min(nq, s + chunk);
            NDArray qc = qh.get(new NDIndex(":, :, {}:{}", s, e));
            NDArray bc = bias == null ? null : biasRows(bias, s, e);
            parts.add(Scope.run(() -> attendChunk(qc, kt, vh, scale, bc)));
        }
        NDArray out = NDArrays.concat(new ai.djl.ndarray.NDList(parts), 2);
        return out.transpose(0, 2, 1, 3).reshape(b, nq, heads * dv);
    }

    private static NDArray biasRows(NDArray bias, long s, long e) {
        if (bias.getShape().get(bias.getShape().dimension() - 2) == 1) return bias;
        return bias.get(new NDIndex("..., {}:{}, :", s, e));
    }

    private static NDArray attendChunk(NDArray qh, NDArray kt, NDArray vh, float scale, NDArray bias) {
        NDArray scores = qh.mul(scale).matMul(kt);
        if (bias != null) scores = scores.add(bias);
        DataType dt = scores.getDataType();
        NDArray p = dt == DataType.FLOAT16
                ? scores.toType(DataType.FLOAT32, false).softmax(-1).toType(dt, false)
                : scores.softmax(-1);
        return p.matMul(vh);
    }
}
