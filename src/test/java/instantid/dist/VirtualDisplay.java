package instantid.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An X display for GUI tests: a private Xvfb (preferred: nothing appears on the user's screen),
 * else the DISPLAY the build runs under; null when there is neither.
 */
final class VirtualDisplay implements AutoCloseable {

    private final String name;
    private final Process xvfb;

    private VirtualDisplay(String name, Process xvfb) {
        this.name = name;
        this.xvfb = xvfb;
    }

    static VirtualDisplay open() throws Exception {
        Path bin = findXvfb();
        if (bin != null) {
            for (int n = 91; n < 140; n++) {
                if (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) continue;
                Process p = new ProcessBuilder(bin.toString(), ":" + n, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                for (int i = 0; i < 100 && p.isAlive(); i++) {
                    if (Files.exists(Path.of("/tmp/.X11-unix/X" + n))) return new VirtualDisplay(":" + n, p);
                    Thread.sleep(100);
                }
                p.destroyForcibly();
            }
        }
        String d = System.getenv("DISPLAY");
        return d == null || d.isBlank() ? null : new VirtualDisplay(d, null);
    }

    private static Path findXvfb() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "Xvfb");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    String name() {
        return name;
    }

    /** The whole screen into {@code png} (ImageMagick's import), best effort: for a test that hangs. */
    void screenshot(Path png) {
        try {
            Process p = new ProcessBuilder("import", "-display", name, "-window", "root", png.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // no ImageMagick: no picture
        }
    }

    @Override
    public void close() {
        if (xvfb != null) {
            xvfb.destroy();
            try {
                if (!xvfb.waitFor(5, TimeUnit.SECONDS)) xvfb.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
