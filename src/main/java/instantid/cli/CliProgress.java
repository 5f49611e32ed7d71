package instantid.cli;

import instantid.models.Progress;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Preview;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Progress on stderr, plain lines (no terminal escapes, so logs and pipes stay clean): what loads,
 * how many MB and how long it took; per step the seconds it took and the time left, estimated from
 * the median of the recent steps (step 1 also reads the weights, so it is left out when others
 * exist). Cancelled when the user presses Ctrl-C ({@link Interrupt}).
 */
final class CliProgress implements instantid.pipeline.Progress {

    private static final int RECENT = 5;

    private final PrintStream err;
    private final int images;
    private final long start = System.nanoTime();
    private long last = System.nanoTime();
    private final List<Double> recent = new ArrayList<>();

    CliProgress(int images) {
        this(System.err, images);
    }

    CliProgress(PrintStream err, int images) {
        this.err = err;
        this.images = Math.max(1, images);
    }

    /** "loading … (N MB)" before a load; call {@link #loaded} after it. */
    void loading(String what, ModelPaths paths) {
        long bytes = 0;
        for (Path p : new Path[] {paths.base(), paths.checkpoint(), paths.controlNet(), paths.adapter()}) {
            boolean inBase = p != null && paths.base() != null && p != paths.base() && p.startsWith(paths.base());
            if (!inBase) bytes += weightBytes(p); // counted once
        }
        err.println("loading " + what + (paths.base() != null ? " from " + paths.base() : "")
                + (bytes > 0 ? " (" + Progress.bytes(bytes) + " of weight files; they are read on first use)" : "") + " ...");
        last = System.nanoTime();
    }

    void loaded(String device) {
        err.printf(Locale.ROOT, "models ready in %.1f s, running on %s%n", (System.nanoTime() - last) / 1e9, device);
        last = System.nanoTime();
    }

    @Override
    public void status(String message) {
        err.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
    }

    @Override
    public void step(int image, int step, int total, Preview preview) {
        long now = System.nanoTime();
        double s = (now - last) / 1e9;
        last = now;
        if (step == 1) recent.clear();
        recent.add(s);
        if (recent.size() > RECENT + 1) recent.remove(1); // keep step 1 only while it is all we have
        double perStep = median(recent.size() > 1 ? recent.subList(1, recent.size()) : recent);
        long left = (long) (total - step) + (long) (images - 1 - image) * total;
        err.printf(Locale.ROOT, "image %d/%d: step %d/%d  %.2f s/step%s%n", image + 1, images, step, total, perStep,
                left > 0 ? "  about " + Progress.duration(perStep * left) + " left" + (step == 1 && total > 1 ? " (step 1 includes reading the weights)" : "") : "");
    }

    @Override
    public boolean cancelled() {
        return Interrupt.token().isCancelled();
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n == 0 ? 0 : n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    static long weightBytes(Path p) {
        if (p == null || !Files.exists(p)) return 0;
        try (Stream<Path> s = Files.walk(p, 2)) {
            return s.filter(f -> f.toString().matches(".*\\.(safetensors|bin|ckpt|pt)$") && Files.isRegularFile(f))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
