package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Scope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repeated UNet / IdentityNet calls inside Scopes leave no array behind. */
class UNetMemoryTest {

    private record Live(int count, long bytes) {
    }

    private static Live live(TinyUNet t) {
        List<NDArray> all = t.manager.getManagedArrays();
        long bytes = 0;
        for (NDArray a : all) bytes += a.size() * a.getDataType().getNumOfBytes();
        return new Live(all.size(), bytes);
    }

    /** Runs {@code step} 20 times in a Scope keeping its result, which the caller then frees. */
    private static void assertFlat(TinyUNet t, Supplier<List<NDArray>> step) {
        try (Scope s = new Scope()) {
            step.get(); // first call loads the weights (they stay, owned by Weights)
        }
        Live before = live(t);
        for (int i = 0; i < 20; i++) {
            List<NDArray> kept;
            try (Scope s = new Scope()) {
                kept = step.get();
                for (NDArray a : kept) s.keep(a);
                // the counter sees the step's intermediates while the scope is open: it can fail
                if (i == 0) assertTrue(live(t).count() > before.count() + 50);
            }
            assertEquals(before.count() + kept.size(), live(t).count(), "iteration " + i);
            for (NDArray a : kept) a.close();
            assertEquals(before, live(t), "iteration " + i);
        }
    }

    @Test
    void unetWithIpMasksAndResidualsStaysFlat() throws Exception {
        try (TinyUNet t = new TinyUNet()) {
            NDArray mask = t.manager.ones(new Shape(16, 16));
            UNetExtras ex = new UNetExtras(t.downResiduals, t.midResidual,
                    new IpContext(List.of(new IpIdentity(t.ipTokens, 0.7f, mask))));
            assertFlat(t, () -> List.of(t.forward(ex)));
        }
    }

    @Test
    void identityNetStaysFlat() throws Exception {
        try (TinyUNet t = new TinyUNet()) {
            var cnDir = instantid.parity.FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny/ControlNetModel");
            try (var src = instantid.io.TensorSources.open(cnDir.resolve("diffusion_pytorch_model.safetensors"));
                 var w = new instantid.tensor.Weights(t.manager, DataType.FLOAT32)) {
                w.mapAll(src, "");
                ControlNet cn = new ControlNet(w, UNetConfig.fromWeights(w, new UNetConfig.Assumed(16, 8, 8, 1e-5f)));
                NDArray cond = t.manager.randomUniform(0f, 1f, new Shape(2, 3, 128, 128));
                assertFlat(t, () -> {
                    ControlNet.Residuals r = cn.forward(t.sample, t.timestep, t.ipTokens, cond, 0.8f, t.textEmbeds, t.timeIds);
                    List<NDArray> out = new java.util.ArrayList<>(r.down());
                    out.add(r.mid());
                    return out;
                });
            }
        }
    }
}
