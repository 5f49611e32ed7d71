package instantid.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import instantid.common.CancelToken;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplersTest {

    private static final ScheduleConfig SDXL = ScheduleConfig.sdxl();
    private static final int[] STEP_COUNTS = {1, 2, 7, 25, 50, 999, 1000};

    @Test
    void everySamplerHasTheDocumentedLengthsAndMonotoneSchedules() {
        for (String name : Samplers.NAMES) {
            for (int n : STEP_COUNTS) {
                Sampler s = Samplers.byName(name, SDXL, n);
                String what = name + " x" + n;
                float[] t = s.timesteps();
                assertEquals(n, s.steps(), what);
                assertEquals(n, t.length, what);
                for (int i = 0; i < n; i++) {
                    assertTrue(t[i] >= 0 && t[i] <= 1000, what + " timestep " + t[i]);
                    assertEquals(Math.rint(t[i]), t[i], what + ": timesteps are integers");
                    if (i > 0) assertTrue(t[i] <= t[i - 1], what + " timesteps not descending at " + i);
                }
                float[] sig = s.sigmas();
                if (name.startsWith("euler") || name.startsWith("dpmpp")) {
                    assertEquals(n + 1, sig.length, what);
                    assertEquals(0f, sig[n], what + ": final sigma");
                    for (int i = 1; i <= n; i++) {
                        // T steps with leading spacing name t = T and T - 1, which diffusers' interpolation clamps to one sigma
                        boolean strict = i == n || !(t[i - 1] >= 999 && t[i] >= 999);
                        assertTrue(strict ? sig[i] < sig[i - 1] : sig[i] <= sig[i - 1], what + " sigmas not decreasing at " + i);
                    }
                    // Euler works in sigma space (noise scaled up); DPM-Solver in the unit-variance space
                    if (name.startsWith("euler")) assertTrue(s.initNoiseSigma() >= sig[0], what);
                    else assertEquals(1f, s.initNoiseSigma(), what);
                } else {
                    assertNull(sig, what);
                    assertEquals(1f, s.initNoiseSigma(), what);
                }
            }
        }
    }

    @Test
    void sdxlLeadingScheduleMatchesTheDiffusersFormula() {
        // leading spacing, steps_offset 1: t_i = (n - 1 - i) * (1000 / n) + 1
        for (int n : new int[] {1, 7, 30, 999}) {
            float[] t = Samplers.byName("euler", SDXL, n).timesteps();
            for (int i = 0; i < n; i++) assertEquals((n - 1 - i) * (1000 / n) + 1, (int) t[i], "n=" + n + " i=" + i);
        }
        // DPM-Solver spaces n + 1 points and drops the last
        float[] d = Samplers.byName("dpmpp_2m", SDXL, 4).timesteps();
        assertEquals(801, (int) d[0]);
        assertEquals(201, (int) d[3]);
        // LCM picks from the 50-point distillation schedule 999, 979, ..., 19
        float[] l = Samplers.byName("lcm", SDXL, 4).timesteps();
        assertEquals(999, (int) l[0]);
        assertEquals(759, (int) l[1]);
    }

    @Test
    void otherSpacingsAndPredictionTypesBuild() {
        for (String spacing : new String[] {"trailing", "linspace"}) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("timestep_spacing", spacing);
            o.addProperty("prediction_type", "v_prediction");
            o.addProperty("steps_offset", 0);
            ScheduleConfig c = ScheduleConfig.fromJson(o);
            for (String name : Samplers.NAMES) {
                Sampler s = Samplers.byName(name, c, 10);
                float[] t = s.timesteps();
                if (!name.equals("lcm") && !name.equals("dpmpp_2m_karras")) assertEquals(999f, t[0], name + " " + spacing);
                assertEquals(10, t.length);
            }
        }
    }

    /** An oracle model whose data is the single point x0: its prediction makes every sampler land on x0. */
    private static Denoiser oracle(Sampler s, Schedule schedule, NDArray x0) {
        float[] sig = s.sigmas();
        return (in, t, i) -> {
            float a = sig != null ? 1f / (sig[i] * sig[i] + 1f) : schedule.alphaCumprod(Math.round(t));
            return in.sub(x0.mul((float) Math.sqrt(a))).div((float) Math.sqrt(1f - a));
        };
    }

    @Test
    void withAnOracleModelEverySamplerEndsAtTheData() {
        Schedule schedule = new Schedule(SDXL);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 4, 4, 4);
            NDArray x0 = new Rng(7).normal(m, shape).mul(0.5f);
            NDArray start = new Rng(8).normal(m, shape);
            for (String name : Samplers.NAMES) {
                for (int n : new int[] {1, 2, 7, 50}) {
                    Sampler s = Samplers.byName(name, SDXL, n);
                    String what = name + " x" + n;
                    NDArray out = s.sample(start, oracle(s, schedule, x0), new Rng(9), (i, total, x, pred) -> {
                        float e = pred.sub(x0).abs().max().getFloat();
                        assertTrue(e < 1e-3f, what + ": x0 estimate at step " + i + " is " + e + " off");
                    }, CancelToken.NONE);
                    float[] v = out.toFloatArray();
                    for (float f : v) assertTrue(Float.isFinite(f), what + " not finite");
                    float err = out.sub(x0).abs().max().getFloat();
                    // DDIM ends at alphas_cumprod[0] (set_alpha_to_one false): sqrt(beta_0) ~ 0.03 of the last
                    // noise estimate stays, which is large only when one step starts from pure noise at t = 1
                    if (name.equals("ddim") && n == 1) continue;
                    float tol = name.equals("ddim") ? 0.15f : 1e-2f;
                    assertTrue(err < tol, what + " ends " + err + " away from the data");
                    out.close();
                }
            }
        }
    }

    @Test
    void thousandStepsRunWithoutNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray start = new Rng(1).normal(m, new Shape(1, 4, 2, 2));
            for (String name : Samplers.NAMES) {
                Sampler s = Samplers.byName(name, SDXL, 1000);
                NDArray out = s.sample(start, (in, t, i) -> in.mul(0.1f), new Rng(2), null, CancelToken.NONE);
                for (float f : out.toFloatArray()) assertTrue(Float.isFinite(f), name);
                out.close();
            }
        }
    }

    @Test
    void theLoopLeavesOnlyItsResultAllocatedAndTellsTheListenerEveryStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray start = new Rng(1).normal(m, new Shape(1, 4, 8, 8));
            for (String name : Samplers.NAMES) {
                int before = m.getManagedArrays().size();
                AtomicInteger calls = new AtomicInteger();
                Sampler s = Samplers.byName(name, SDXL, 6);
                NDArray out = s.sample(start, (in, t, i) -> in.mul(0.05f).add(0.01f), new Rng(3), (i, total, x, x0) -> {
                    assertEquals(calls.getAndIncrement(), i);
                    assertEquals(6, total);
                    assertEquals(new Shape(1, 4, 8, 8), x.getShape());
                }, CancelToken.NONE);
                assertEquals(6, calls.get(), name);
                assertEquals(before + 1, m.getManagedArrays().size(), name + ": arrays left behind");
                out.close();
            }
        }
    }

    @Test
    void cancelBetweenStepsThrowsAndFreesEverything() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray start = new Rng(1).normal(m, new Shape(1, 4, 8, 8));
            int before = m.getManagedArrays().size();
            AtomicInteger calls = new AtomicInteger();
            Sampler s = Samplers.byName("dpmpp_2m_karras", SDXL, 10);
            CancelToken cancel = CancelToken.of(() -> calls.get() >= 3);
            assertThrows(CancellationException.class, () -> s.sample(start, (in, t, i) -> {
                calls.incrementAndGet();
                return in.mul(0.1f);
            }, new Rng(2), null, cancel));
            assertEquals(3, calls.get(), "the model runs until the cancel flag is seen between steps");
            assertEquals(before, m.getManagedArrays().size(), "a cancelled run leaves nothing allocated");
        }
    }

    @Test
    void unknownNamesAndBadStepCountsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Samplers.byName("heun", SDXL));
        for (String n : Samplers.NAMES) assertTrue(e.getMessage().contains(n), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Samplers.byName("euler", SDXL, 0))
                .getMessage().contains("between 1 and 1000"));
        assertThrows(IllegalArgumentException.class, () -> Samplers.byName("euler", SDXL, 1001));
    }
}
