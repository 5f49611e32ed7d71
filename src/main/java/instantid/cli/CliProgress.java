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
        System.err.printf(java.util.Locale.ROOT, "image %d: step %d/%d (%.2f s)%n", image + 1, step, total, (now - last) / 1e9);
        last = now;
    }
}
