package instantid.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The IdentityNet control window, against diffusers' {@code controlnet_keep} written out. */
class InstantIdDenoiserTest {

    @Test
    void controlWindowIsDiffusersControlnetKeep() {
        double[][] windows = {{0, 1}, {0.2, 0.8}, {0.5, 1}, {0, 0.3}, {0.33, 0.34}};
        for (int n : new int[] {1, 4, 7, 30}) {
            for (double[] w : windows) {
                InstantIdDenoiser d = new InstantIdDenoiser(null, null, List.of(), w[0], w[1], n, false, null, 64, 64);
                for (int i = 0; i < n; i++) {
                    // keeps = 1.0 - float(i / len(timesteps) < start or (i + 1) / len(timesteps) > end)
                    boolean keep = !(i / (double) n < w[0] || (i + 1) / (double) n > w[1]);
                    assertEquals(keep, d.inControlWindow(i), "n=" + n + " window " + w[0] + ".." + w[1] + " step " + i);
                }
            }
        }
        InstantIdDenoiser all = new InstantIdDenoiser(null, null, List.of(), 0, 1, 10, false, null, 64, 64);
        for (int i = 0; i < 10; i++) assertEquals(true, all.inControlWindow(i));
        InstantIdDenoiser late = new InstantIdDenoiser(null, null, List.of(), 0.5, 1, 10, false, null, 64, 64);
        assertEquals(false, late.inControlWindow(4));
        assertEquals(true, late.inControlWindow(5));
    }
}
