package instantid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory figures of this process: the peak of anonymous resident memory (RssAnon, sampled every
 * 100 ms: native weights and activations plus the JVM, without the memory-mapped weight files,
 * whose pages are the page cache's), the resident-set high-water mark (VmHWM, which does count
 * mapped file pages) and the Java heap's committed and maximum size.
 */
final class Memory {

    private static volatile long anonPeakKb = -1;

    static {
        Thread t = new Thread(() -> {
            while (true) {
                long a = kb("RssAnon");
                if (a > anonPeakKb) anonPeakKb = a;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory sampler");
        t.setDaemon(true);
        t.start();
    }

    private Memory() {
    }

    /** Starts the sampler (class initialisation) before the work to be measured. */
    static void start() {
        // the static initialiser has run
    }

    static Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        long a = kb("RssAnon");
        if (a > anonPeakKb) anonPeakKb = a;
        m.put("anon_rss_peak_mb", anonPeakKb / 1024);
        m.put("rss_high_water_mb", kb("VmHWM") / 1024);
        java.lang.Runtime rt = java.lang.Runtime.getRuntime();
        m.put("heap_committed_mb", rt.totalMemory() >> 20);
        m.put("heap_max_mb", rt.maxMemory() >> 20);
        return m;
    }

    /** A field of /proc/self/status in kB, or -1 where there is none (not Linux). */
    static long kb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
