package instantid.cli;

import instantid.pipeline.Preview;
import instantid.pipeline.Progress;

/** Progress on stderr: status lines and "image i: step k/n (s/step)". */
final class CliProgress implements Progress {

    private long last = System.nanoTime();

    @Override
    public void status(String message) {
        System.err.println(message);
    }

    @Override
    public void step(int image, int step, int total, Preview preview) {
        long now = System.nanoTime();
        double s = (now - last) / 1e9;
        System.err.printf(java.util.Locale.ROOT, "image %d: step %d/%d (%.2f s)%n", image + 1, step, total, s);
        if (image == 0 && step == 2 && total > 2) {
            // the first step includes loading weights on first use; the second is what a step costs
            System.err.printf(java.util.Locale.ROOT, "about %.0f s per step here: this image needs about %s more%n",
                    s, instantid.models.Progress.duration(s * (total - 2)));
        }
        last = now;
    }
}
