package instantid.sample;

/**
 * The training noise schedule (betas → alphas_cumprod → sigmas) and the numeric helpers the
 * samplers share, computed with the same float32 / float64 steps as diffusers: betas and
 * alphas_cumprod are torch float32 tensors (cumprod accumulates in double, as torch's CPU kernel
 * does), spacing and Karras sigmas are numpy float64 and become float32 at the end.
 */
public final class Schedule {

    public final ScheduleConfig config;
    private final float[] betas;
    private final float[] alphasCumprod;
    private final float[] trainSigmas;
    private final float[] logSigmas;

    public Schedule(ScheduleConfig config) {
        this.config = config;
        int n = config.numTrainTimesteps();
        if (n < 1) throw new IllegalArgumentException("num_train_timesteps must be >= 1, got " + n);
        float[] b = betas(config);
        float[] ac;
        if (config.rescaleBetasZeroSnr()) {
            b = rescaleZeroTerminalSnr(b);
            ac = cumprod(b);
            ac[n - 1] = (float) Math.pow(2, -24);
        } else {
            ac = cumprod(b);
        }
        this.betas = b;
        this.alphasCumprod = ac;
        this.trainSigmas = new float[n];
        this.logSigmas = new float[n];
        for (int t = 0; t < n; t++) {
            trainSigmas[t] = sigmaOf(ac[t]);
            logSigmas[t] = (float) Math.log(trainSigmas[t]);
        }
    }

    public int trainSteps() {
        return alphasCumprod.length;
    }

    public float beta(int t) {
        return betas[t];
    }

    /**
     * alphas_cumprod[t] with t clamped to [0, num_train_timesteps - 1] (a `leading` schedule with
     * steps_offset and 1000 steps names t = 1000, which diffusers' interpolation also clamps).
     */
    public float alphaCumprod(int t) {
        return alphasCumprod[Math.max(0, Math.min(alphasCumprod.length - 1, t))];
    }

    /** The sigma of every training timestep, ((1 - a) / a) ** 0.5 in float32, ascending in t. */
    public float[] trainSigmas() {
        return trainSigmas.clone();
    }

    /** log of {@link #trainSigmas()} in float32. */
    public float[] logSigmas() {
        return logSigmas.clone();
    }

    /** ((1 - a) / a) ** 0.5 in float32, as the torch expression. */
    static float sigmaOf(float a) {
        return (float) Math.sqrt((1f - a) / a);
    }

    /** np.interp(t, arange(n), trainSigmas) in float64. */
    public double interpSigma(double t) {
        return interp(t, trainSigmas);
    }

    static double interp(double x, float[] fp) {
        int n = fp.length;
        if (Double.isNaN(x)) return Double.NaN;
        if (x <= 0) return fp[0];
        if (x >= n - 1) return fp[n - 1];
        int j = (int) Math.floor(x);
        double slope = ((double) fp[j + 1] - fp[j]);
        return slope * (x - j) + fp[j];
    }

    /** diffusers' _sigma_to_t: fractional timestep of a sigma by log-linear interpolation. */
    public double sigmaToT(double sigma) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int n = logSigmas.length;
        int low = 0;
        for (int i = 0; i < n; i++) if (logSigma - logSigmas[i] >= 0) low = i;
        low = Math.min(low, n - 2);
        if (low < 0) return 0;
        double lo = logSigmas[low], hi = logSigmas[low + 1];
        double w = (lo - logSigma) / (lo - hi);
        w = Math.max(0, Math.min(1, w));
        return (1 - w) * low + w * (low + 1);
    }

    /** Karras et al. sigmas (rho 7) from sigmaMax down to sigmaMin, float64 as numpy. */
    public static double[] karras(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double[] ramp = linspace(0, 1, n);
        double minInv = Math.pow(sigmaMin, 1 / rho);
        double maxInv = Math.pow(sigmaMax, 1 / rho);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = Math.pow(maxInv + ramp[i] * (minInv - maxInv), rho);
        return out;
    }

    /** numpy.linspace(a, b, n) with endpoint, float64. */
    public static double[] linspace(double a, double b, int n) {
        double[] y = new double[n];
        if (n == 0) return y;
        if (n == 1) {
            y[0] = a;
            return y;
        }
        double step = (b - a) / (n - 1);
        for (int i = 0; i < n; i++) y[i] = i * step + a;
        y[n - 1] = b;
        return y;
    }

    /** numpy.linspace(a, b, n, endpoint=False), float64. */
    public static double[] linspaceOpen(double a, double b, int n) {
        double[] y = new double[n];
        double step = (b - a) / n;
        for (int i = 0; i < n; i++) y[i] = i * step + a;
        return y;
    }

    /** numpy.arange(start, stop, step) for a float step (negative steps count down). */
    public static double[] arange(double start, double stop, double step) {
        int len = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] y = new double[len];
        if (len == 0) return y;
        y[0] = start;
        if (len > 1) {
            double delta = (start + step) - start;
            for (int i = 1; i < len; i++) y[i] = start + i * delta;
        }
        return y;
    }

    /** Python/numpy round: half to even. */
    public static double round(double x) {
        return Math.rint(x);
    }

    // ---- betas, as torch computes them --------------------------------------------------------

    static float[] betas(ScheduleConfig c) {
        int n = c.numTrainTimesteps();
        if (c.trainedBetas() != null) {
            float[] b = new float[c.trainedBetas().length];
            for (int i = 0; i < b.length; i++) b[i] = (float) c.trainedBetas()[i];
            if (b.length != n) {
                throw new IllegalArgumentException("trained_betas has " + b.length + " values but num_train_timesteps is " + n);
            }
            return b;
        }
        switch (c.betaSchedule()) {
            case "linear":
                return torchLinspace((float) c.betaStart(), (float) c.betaEnd(), n);
            case "scaled_linear": {
                float[] r = torchLinspace((float) Math.pow(c.betaStart(), 0.5), (float) Math.pow(c.betaEnd(), 0.5), n);
                for (int i = 0; i < n; i++) r[i] = r[i] * r[i];
                return r;
            }
            case "squaredcos_cap_v2": {
                float[] r = new float[n];
                for (int i = 0; i < n; i++) {
                    double t1 = (double) i / n, t2 = (double) (i + 1) / n;
                    r[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
                }
                return r;
            }
            default:
                throw new IllegalArgumentException("beta_schedule '" + c.betaSchedule()
                        + "' is not supported (use linear, scaled_linear or squaredcos_cap_v2)");
        }
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** torch.linspace(start, end, n, dtype=float32) on CPU: float step, both halves from their end. */
    static float[] torchLinspace(float start, float end, int n) {
        float[] r = new float[n];
        if (n == 1) {
            r[0] = start;
            return r;
        }
        float step = (end - start) / (float) (n - 1);
        int half = n / 2;
        for (int i = 0; i < n; i++) r[i] = i < half ? start + step * (float) i : end - step * (float) (n - i - 1);
        return r;
    }

    /** torch.cumprod of (1 - betas) in float32 with torch's double accumulator. */
    static float[] cumprod(float[] betas) {
        float[] ac = new float[betas.length];
        double acc = 1;
        for (int i = 0; i < betas.length; i++) {
            acc *= (double) (1f - betas[i]);
            ac[i] = (float) acc;
        }
        return ac;
    }

    /** diffusers' rescale_zero_terminal_snr, float32 tensor arithmetic. */
    static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] ac = cumprod(betas);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = (float) Math.sqrt(ac[i]);
        float s0 = s[0], sT = s[n - 1];
        float scale = s0 / (s0 - sT);
        for (int i = 0; i < n; i++) s[i] = (s[i] - sT) * scale;
        float[] bar = new float[n];
        for (int i = 0; i < n; i++) bar[i] = s[i] * s[i];
        float[] out = new float[n];
        out[0] = 1f - bar[0];
        for (int i = 1; i < n; i++) out[i] = 1f - bar[i] / bar[i - 1];
        return out;
    }
}
