package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import instantid.io.TorchZipWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipOutputStream;

/**
 * libtorch's fused {@code scaled_dot_product_attention} (flash / memory-efficient kernels: the
 * score matrix is never materialised), reached through a two-method TorchScript module, since
 * none of DJL 0.36's JNI methods is that op. The module holds no tensors, so it works on every
 * device; it is written here as a TorchScript archive (code, an object pickle, a version) and
 * compiled by libtorch's own loader when first used: no Python, nothing downloaded, no file.
 */
final class FusedAttention {

    private static final String CODE = String.join("\n",
            "class Sdpa(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.Sdpa,",
            "    q: Tensor,",
            "    k: Tensor,",
            "    v: Tensor) -> Tensor:",
            "    return torch.scaled_dot_product_attention(q, k, v)",
            "  def masked(self: __torch__.Sdpa,",
            "    q: Tensor,",
            "    k: Tensor,",
            "    v: Tensor,",
            "    bias: Tensor) -> Tensor:",
            "    return torch.scaled_dot_product_attention(q, k, v, bias)",
            "");

    private static volatile PtSymbolBlock module;
    private static volatile String failure;

    private FusedAttention() {
    }

    /** Whether the fused kernel can run (the PyTorch engine loaded the module); loads it once. */
    static boolean available() {
        if (module != null) return true;
        if (failure != null) return false;
        synchronized (FusedAttention.class) {
            if (module == null && failure == null) {
                try {
                    NDManager owner = NDManager.newBaseManager();
                    if (!(owner instanceof PtNDManager pt)) {
                        failure = "the engine is " + owner.getEngine().getEngineName() + ", not PyTorch";
                        owner.close();
                    } else {
                        module = JniUtils.loadModule(pt, new ByteArrayInputStream(archive()), false, false);
                    }
                } catch (RuntimeException | IOException | UnsatisfiedLinkError e) {
                    failure = String.valueOf(e.getMessage());
                }
            }
        }
        return module != null;
    }

    /** Why {@link #available()} is false, or null. */
    static String failure() {
        return failure;
    }

    /**
     * softmax(q k^T / sqrt(D) + bias) v over [B, H, N, D] arrays (bias broadcastable to
     * [B, H, Nq, Nk], or null); the result belongs to q's manager.
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        PtNDManager m = (PtNDManager) q.getManager();
        IValue[] in = bias == null
                ? new IValue[] {iv(q), iv(k), iv(v)}
                : new IValue[] {iv(q), iv(k), iv(v), iv(bias.toType(q.getDataType(), false))};
        try {
            IValue out = bias == null ? module.forward(in) : IValueUtils.runMethod(module, "masked", in);
            try {
                return out.toTensor(m);
            } finally {
                out.close();
            }
        } finally {
            for (IValue i : in) i.close();
        }
    }

    private static IValue iv(NDArray a) {
        return IValue.from((PtNDArray) a);
    }

    /** The TorchScript archive: {@code code/__torch__.py}, the module object, no constants. */
    static byte[] archive() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            TorchZipWriter.stored(z, "sdpa/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            TorchZipWriter.stored(z, "sdpa/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
            TorchZipWriter.stored(z, "sdpa/data.pkl", modulePickle());
            TorchZipWriter.stored(z, "sdpa/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Pickle protocol 2 of {@code __torch__.Sdpa} with the state {training: False}. */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        TorchZipWriter.global(p, "__torch__", "Sdpa");
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        TorchZipWriter.unicode(p, "training");
        p.write(0x89); // NEWFALSE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }
}
