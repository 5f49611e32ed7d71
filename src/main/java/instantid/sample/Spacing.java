package instantid.sample;

/**
 * The timestep spacings of diffusers' schedulers ({@code leading}, {@code trailing},
 * {@code linspace}), in float64 as numpy computes them; each scheduler rounds and casts its own way.
 */
final class Spacing {

    private Spacing() {
    }

    /** Euler / Euler ancestral: float32 timesteps, descending. */
    static float[] euler(ScheduleConfig c, int n) {
        int T = c.numTrainTimesteps();
        float[] t = new float[n];
        switch (c.timestepSpacing()) {
            case "linspace": {
                double[] l = Schedule.linspace(0, T - 1, n);
                for (int i = 0; i < n; i++) t[i] = (float) l[n - 1 - i];
                return t;
            }
            case "leading": {
                int ratio = T / n;
                for (int i = 0; i < n; i++) t[i] = (float) ((long) (n - 1 - i) * ratio) + (float) c.stepsOffset();
                return t;
            }
            case "trailing": {
                double[] a = Schedule.arange(T, 0, -((double) T / n));
                for (int i = 0; i < n; i++) t[i] = (float) Schedule.round(a[Math.min(i, a.length - 1)]) - 1f;
                return t;
            }
            default:
                throw unknown(c);
        }
    }

    /** DDIM: integer timesteps, descending. */
    static int[] ddim(ScheduleConfig c, int n) {
        int T = c.numTrainTimesteps();
        int[] t = new int[n];
        switch (c.timestepSpacing()) {
            case "linspace": {
                double[] l = Schedule.linspace(0, T - 1, n);
                for (int i = 0; i < n; i++) t[i] = (int) Schedule.round(l[n - 1 - i]);
                return t;
            }
            case "leading": {
                int ratio = T / n;
                for (int i = 0; i < n; i++) t[i] = (n - 1 - i) * ratio + c.stepsOffset();
                return t;
            }
            case "trailing": {
                double[] a = Schedule.arange(T, 0, -((double) T / n));
                for (int i = 0; i < n; i++) t[i] = (int) Schedule.round(a[Math.min(i, a.length - 1)]) - 1;
                return t;
            }
            default:
                throw unknown(c);
        }
    }

    /** DPM-Solver multistep: integer timesteps from n + 1 points with the last dropped. */
    static int[] dpm(ScheduleConfig c, int n) {
        int T = c.numTrainTimesteps();
        int last = T; // lambda_min_clipped = -inf clips nothing
        int[] t = new int[n];
        switch (c.timestepSpacing()) {
            case "linspace": {
                double[] l = Schedule.linspace(0, last - 1, n + 1);
                for (int i = 0; i < n; i++) t[i] = (int) Schedule.round(l[n - i]);
                return t;
            }
            case "leading": {
                // diffusers: ratio = last // (n + 1), which is 0 for n = T (every timestep 1);
                // we keep at least 1 and stay within the training range so T steps still denoise
                int ratio = Math.max(1, last / (n + 1));
                for (int i = 0; i < n; i++) t[i] = Math.min(T, (n - i) * ratio + c.stepsOffset());
                return t;
            }
            case "trailing": {
                double[] a = Schedule.arange(last, 0, -((double) T / n));
                for (int i = 0; i < n; i++) t[i] = (int) Schedule.round(a[Math.min(i, a.length - 1)]) - 1;
                return t;
            }
            default:
                throw unknown(c);
        }
    }

    private static IllegalArgumentException unknown(ScheduleConfig c) {
        return new IllegalArgumentException("timestep_spacing '" + c.timestepSpacing()
                + "' is not supported (use leading, trailing or linspace)");
    }
}
