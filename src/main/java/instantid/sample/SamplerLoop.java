package instantid.sample;

import ai.djl.ndarray.NDArray;
import instantid.common.CancelToken;
import instantid.tensor.Scope;

/** The denoising loop shared by every sampler (see {@link Sampler#sample}). */
final class SamplerLoop {

    private SamplerLoop() {
    }

    static NDArray run(Sampler s, NDArray initialNoise, Denoiser d, NoiseSource noise, StepListener listener,
                       CancelToken cancel) {
        int n = s.steps();
        float[] ts = s.timesteps();
        NDArray x;
        try (Scope sc = new Scope()) {
            x = sc.keep(initialNoise.mul(s.initNoiseSigma()));
        }
        try (Sampler.Run run = s.start()) {
            for (int i = 0; i < n; i++) {
                cancel.check();
                NDArray next;
                try (Scope sc = new Scope()) {
                    NDArray in = s.scaleModelInput(x, i);
                    NDArray out = d.predict(in, ts[i], i);
                    Sampler.Step st = run.step(out, i, x, noise);
                    if (listener != null) listener.onStep(i, n, st.prev(), st.predX0());
                    next = sc.keep(st.prev());
                    for (NDArray a : run.state()) sc.keep(a);
                }
                x.close();
                x = next;
            }
            return x;
        } catch (RuntimeException | Error e) {
            x.close();
            throw e;
        }
    }
}
