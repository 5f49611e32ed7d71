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
    private static volatile long windowPeakKb = -1;
    private static volatile ai.djl.Device gpu;
    private static volatile long gpuPeakBytes = -1;

    static {
        Thread t = new Thread(() -> {
            while (true) {
                long a = kb("RssAnon");
                if (a > anonPeakKb) anonPeakKb = a;
                if (a > windowPeakKb) windowPeakKb = a;
                ai.djl.Device d = gpu;
                if (d != null) {
                    try {
                        long used = ai.djl.util.cuda.CudaUtils.getGpuMemory(d).getUsed();
                        if (used > gpuPeakBytes) gpuPeakBytes = used;
                    } catch (RuntimeException | LinkageError e) {
                        gpu = null;
                    }
                }
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

    /**
     * Starts a measuring window: its peaks start from the current anonymous RSS (and, on a GPU,
     * the device memory in use, from DJL's CUDA utilities; the sampler polls every 100 ms).
     */
    static void window(ai.djl.Device device) {
        windowPeakKb = kb("RssAnon");
        gpuPeakBytes = -1;
        gpu = device != null && device.isGpu() ? device : null;
    }

    /** The window's peak anonymous RSS in MB. */
    static long windowAnonPeakMb() {
        long a = kb("RssAnon");
        if (a > windowPeakKb) windowPeakKb = a;
        return windowPeakKb / 1024;
    }

    /** The window's peak device memory in use in MB, or -1 on the CPU. */
    static long windowGpuPeakMb() {
        return gpuPeakBytes < 0 ? -1 : gpuPeakBytes >> 20;
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
    /** CPU time of the whole process (every thread, libtorch's included), or -1. */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * The allocator and thread settings the process was started with, as the environment says
     * (a preloaded allocator, jemalloc's or glibc's tunables, OpenMP threads): "default" when unset.
     */
    static Map<String, Object> allocatorSettings() {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String k : new String[] {"LD_PRELOAD", "MALLOC_CONF", "GLIBC_TUNABLES", "OMP_NUM_THREADS"}) {
            String v = System.getenv(k);
            r.put(k.toLowerCase(java.util.Locale.ROOT), v == null || v.isBlank() ? "default" : v);
        }
        return r;
    }

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
