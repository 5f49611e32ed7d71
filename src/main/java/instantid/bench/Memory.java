package instantid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory figures of this process: the resident-set high-water mark (VmHWM, Linux) — native weights
 * and activations plus the JVM — and the Java heap's committed and maximum size; native memory is
 * at most VmHWM minus the heap.
 */
final class Memory {

    private Memory() {
    }

    static Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
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
