package instantid.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.AttentionKernel;
import instantid.tensor.Ops;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The attention op alone at the shape of SDXL's busiest attention: the self-attention of the first
 * transformer level (a quarter of the latent's tokens, 10 heads of 64, batch 2 for guidance), once
 * per kernel, so the kernels' difference is seen apart from the rest of a step.
 */
final class AttentionTiming {

    private AttentionTiming() {
    }

    static void put(Map<String, Object> r, Bench.Options o, NDManager nd, DataType dt, List<AttentionKernel> kernels,
                    Consumer<String> log) {
        long tokens = (long) (o.height() / 16) * (o.width() / 16);
        NDArray q = nd.randomNormal(new Shape(2L * o.batch(), tokens, 640)).toType(dt, false);
        r.put("attention_shape", (2 * o.batch()) + "x" + tokens + "x640, 10 heads");
        AttentionKernel before = Ops.attentionKernel;
        try {
            for (AttentionKernel k : kernels) {
                Ops.attentionKernel = k;
                Bench.Timing t = Bench.median(o, log, "attention " + k.id(), () -> Ops.attention(q, q, q, 10, null));
                r.put("attention_level1_s_" + k.id(), t.median());
            }
        } finally {
            Ops.attentionKernel = before;
            q.close();
        }
    }
}
