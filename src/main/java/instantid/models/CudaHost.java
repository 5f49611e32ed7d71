package instantid.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this computer offers for CUDA, found without loading any engine: the NVIDIA kernel driver
 * ({@code /proc/driver/nvidia/version} on Linux), the driver's user library ({@code libcuda} /
 * {@code nvcuda.dll}), and — when {@code nvidia-smi} is on the PATH — each GPU's name, compute
 * capability and memory, and the highest CUDA version the driver supports.
 *
 * @param driverVersion  the NVIDIA driver version ("570.86.15"), or null when no driver is found
 * @param cudaVersion    the highest CUDA the driver supports ("12.8", from nvidia-smi), or null
 * @param libcuda        the driver library found, or null
 * @param gpus           the GPUs nvidia-smi lists (empty when it is absent)
 */
public record CudaHost(String driverVersion, String cudaVersion, Path libcuda, List<Gpu> gpus) {

    /** The oldest driver that runs CUDA 12.x programs (minor-version compatibility, Linux). */
    public static final int MIN_DRIVER_MAJOR = 525;
    /** The driver that ships CUDA 12.8 itself (needed for PTX compiled at run time, e.g. new GPUs). */
    public static final int CU128_DRIVER_MAJOR = 570;

    /** One GPU as nvidia-smi reports it; memory in MiB, capability as "8.6" (null when unknown). */
    public record Gpu(String name, String capability, long totalMiB, long freeMiB) {
    }

    /** Probes this computer (at most a few seconds, for nvidia-smi). */
    public static CudaHost probe() {
        String driver = driverFromProc(Path.of("/proc/driver/nvidia/version"));
        Path lib = findLibcuda();
        List<Gpu> gpus = new ArrayList<>();
        String[] smi = run(List.of("nvidia-smi", "--query-gpu=name,compute_cap,memory.total,memory.free,driver_version",
                "--format=csv,noheader,nounits"));
        String cuda = null;
        if (smi != null) {
            for (String line : smi) {
                String[] f = line.split(",\\s*");
                if (f.length < 5) continue;
                gpus.add(new Gpu(f[0].trim(), f[1].trim(), parse(f[2]), parse(f[3])));
                if (driver == null) driver = f[4].trim();
            }
            String[] head = run(List.of("nvidia-smi"));
            if (head != null) cuda = cudaFromSmi(String.join("\n", head));
        }
        return new CudaHost(driver, cuda, lib, List.copyOf(gpus));
    }

    /** Whether DJL's cu128 natives can run here; null when they can, else the reason. */
    public String unsupportedReason() {
        if (driverVersion == null && libcuda == null) {
            return "no NVIDIA driver found (no /proc/driver/nvidia/version, no libcuda): install the NVIDIA driver first";
        }
        if (libcuda == null) return "the NVIDIA kernel driver " + driverVersion + " is there but not its library libcuda";
        int major = driverMajor();
        if (major > 0 && major < MIN_DRIVER_MAJOR) {
            return "NVIDIA driver " + driverVersion + " is too old for CUDA 12 (needs " + MIN_DRIVER_MAJOR
                    + " or newer, " + CU128_DRIVER_MAJOR + "+ recommended): update the driver";
        }
        return null;
    }

    /** Warnings that do not stop an install (old capability, driver below the CUDA 12.8 one). */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        int major = driverMajor();
        if (major > 0 && major < CU128_DRIVER_MAJOR) {
            w.add("driver " + driverVersion + " predates CUDA 12.8 (" + CU128_DRIVER_MAJOR + "+): it works through CUDA's"
                    + " minor-version compatibility, but GPUs newer than the driver may not");
        }
        for (Gpu g : gpus) {
            double cc = capability(g.capability());
            if (cc > 0 && cc < 7.5) {
                w.add(g.name() + " (compute capability " + g.capability() + "): PyTorch's CUDA 12.8 builds target"
                        + " Turing (7.5) and newer; this GPU may not be usable");
            }
        }
        return w;
    }

    public int driverMajor() {
        if (driverVersion == null) return -1;
        Matcher m = Pattern.compile("^(\\d+)").matcher(driverVersion);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Lines for {@code doctor} and Settings. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("NVIDIA driver: ").append(driverVersion == null ? "none found" : driverVersion)
                .append(cudaVersion == null ? "" : " (supports CUDA " + cudaVersion + ")")
                .append(libcuda == null ? "" : ", " + libcuda).append('\n');
        for (Gpu g : gpus) {
            sb.append(String.format(Locale.ROOT, "GPU: %s, compute capability %s, %d MiB free of %d MiB%n", g.name(),
                    g.capability(), g.freeMiB(), g.totalMiB()));
        }
        for (String w : warnings()) sb.append("note: ").append(w).append('\n');
        return sb.toString();
    }

    static String driverFromProc(Path proc) {
        try {
            if (!Files.isRegularFile(proc)) return null;
            // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Thu Jan ..."
            Matcher m = Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?(\\d+\\.\\d+(?:\\.\\d+)?)").matcher(Files.readString(proc));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String cudaFromSmi(String text) {
        Matcher m = Pattern.compile("CUDA Version:\\s*(\\d+\\.\\d+)").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static Path findLibcuda() {
        boolean win = System.getProperty("os.name", "").startsWith("Win");
        List<String> dirs = win ? List.of(System.getenv().getOrDefault("SystemRoot", "C:\\Windows") + "\\System32")
                : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/wsl/lib",
                "/usr/local/nvidia/lib64", "/usr/lib/aarch64-linux-gnu");
        String name = win ? "nvcuda.dll" : "libcuda.so.1";
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.exists(p)) return p;
        }
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (!win && ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isEmpty() && Files.exists(Path.of(d, name))) return Path.of(d, name);
            }
        }
        return null;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static double capability(String s) {
        try {
            return s == null ? -1 : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Runs a command for at most 5 s; its output lines, or null when it is missing or fails. */
    private static String[] run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                out = in.readAllBytes();
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).split("\\R") : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
