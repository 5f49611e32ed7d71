package instantid.models;

import ai.djl.engine.Engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which deep-learning engine, natives and device are in use, and how to point DJL at a libtorch
 * already on disk (a CUDA build for GPU use). See {@code docs/gpu.md} for the decision behind it.
 *
 * <p>DJL's PyTorch engine looks for natives first in {@code PYTORCH_LIBRARY_PATH} (environment
 * variable or system property: DJL reads both), then in the {@code pytorch-native-cpu} jar on the
 * class path. The JNI glue for CPU and for CUDA 12.8 ({@code cu128}) is inside the
 * {@code pytorch-jni} jar, so a libtorch 2.7.1+cu128 folder works offline when
 * {@code PYTORCH_FLAVOR=cu128} says which JNI to take.
 */
public final class NativeInfo {

    /** The libtorch version DJL 0.36's JNI is built for. */
    public static final String LIBTORCH_VERSION = "2.7.1";

    /** What is in use: engine name and version, where its natives come from, GPUs visible, default device. */
    public record Info(String engine, String version, String nativesDir, String nativesSource, int gpuCount,
                       String device) {
        public boolean cuda() {
            return gpuCount > 0;
        }

        /** One line for Settings and for every result's settings. */
        public String line() {
            return engine + " " + version + " on " + device + " (" + nativesSource + ": " + nativesDir + ")";
        }
    }

    private NativeInfo() {
    }

    /** Loads the engine if needed (a few seconds the first time) and says what it uses. */
    public static Info probe() {
        Engine e = Engine.getEngine("PyTorch");
        String dir;
        try {
            dir = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError ex) {
            dir = "unknown";
        }
        String override = env("PYTORCH_LIBRARY_PATH");
        String source = override != null ? "PYTORCH_LIBRARY_PATH" : "bundled CPU natives";
        return new Info(e.getEngineName(), e.getVersion(), dir, source, e.getGpuCount(), e.defaultDevice().toString());
    }

    /** A paragraph for the CLI / Settings: the engine line and, without CUDA, the CPU notice. */
    public static String describe() {
        Info i = probe();
        StringBuilder sb = new StringBuilder("Engine: ").append(i.line()).append('\n');
        if (!i.cuda()) sb.append(cpuNotice(OptionalDouble.empty(), 0, 0)).append('\n');
        return sb.toString();
    }

    /**
     * "Running on CPU" with the time per step at 1024x1024 when a measured figure is given
     * ({@code secondsPerStep} measured at {@code w x h}, e.g. by the bench verb), scaled by pixel
     * count; "unknown" otherwise — never a made-up number.
     */
    public static String cpuNotice(OptionalDouble secondsPerStep, int w, int h) {
        String how = "; for a GPU see docs/gpu.md (point PYTORCH_LIBRARY_PATH at a libtorch " + LIBTORCH_VERSION + "+cu128)";
        if (secondsPerStep.isEmpty() || w <= 0 || h <= 0) {
            return "Running on CPU (no CUDA device visible): time per step at 1024x1024 unknown until measured (bench verb)" + how;
        }
        double at1024 = secondsPerStep.getAsDouble() * (1024.0 * 1024.0) / ((double) w * h);
        return String.format(Locale.ROOT, "Running on CPU (no CUDA device visible): about %.0f s per step at 1024x1024"
                + " (scaled by pixel count from %.1f s measured at %dx%d), so about %.0f min for 30 steps%s",
                at1024, secondsPerStep.getAsDouble(), w, h, at1024 * 30 / 60, how);
    }

    /**
     * Points DJL at a libtorch folder already on disk (the {@code lib} folder of a libtorch zip, the
     * folder holding it, or a Python torch install's {@code torch/lib}). Checks that it holds
     * libtorch of version {@value #LIBTORCH_VERSION} and sets the system properties DJL reads.
     * Must run before the engine first loads (else restart Fiji). Returns the flavor chosen.
     */
    public static String useLibtorch(Path dir, String flavor) throws IOException {
        Path lib = dir.toAbsolutePath().normalize();
        String libName = System.mapLibraryName("torch");
        if (!Files.isRegularFile(lib.resolve(libName)) && Files.isRegularFile(lib.resolve("lib").resolve(libName))) {
            lib = lib.resolve("lib");
        }
        if (!Files.isRegularFile(lib.resolve(libName))) {
            throw new IllegalArgumentException(dir + ": no " + libName + " here or in lib/: give the folder of a libtorch "
                    + LIBTORCH_VERSION + " install (libtorch zip's lib/ or a Python torch's torch/lib)");
        }
        String version = libtorchVersion(lib);
        if (version != null && !version.startsWith(LIBTORCH_VERSION)) {
            throw new IllegalArgumentException(dir + ": libtorch " + version + ", but this plugin's DJL 0.36 needs "
                    + LIBTORCH_VERSION + " (e.g. " + LIBTORCH_VERSION + "+cu128)");
        }
        String fl = flavor;
        if (fl == null || fl.isBlank()) {
            Matcher m = version == null ? null : Pattern.compile("\\+(cu\\d+|cpu)").matcher(version);
            fl = m != null && m.find() ? m.group(1) : null;
        }
        if (fl == null) {
            throw new IllegalArgumentException(dir + ": cannot tell whether this libtorch is a CPU or CUDA build"
                    + " (no build-version / version.py found): say it, e.g. flavor cu128");
        }
        System.setProperty("PYTORCH_LIBRARY_PATH", lib.toString());
        System.setProperty("PYTORCH_VERSION", LIBTORCH_VERSION);
        System.setProperty("PYTORCH_FLAVOR", fl);
        return fl;
    }

    /** The version written next to a libtorch: {@code build-version} of the zip, or torch's {@code version.py}. */
    static String libtorchVersion(Path lib) throws IOException {
        for (Path p : new Path[]{lib.resolve("build-version"), lib.getParent() == null ? null : lib.getParent().resolve("build-version")}) {
            if (p != null && Files.isRegularFile(p)) return Files.readString(p).trim();
        }
        Path py = lib.getParent() == null ? null : lib.getParent().resolve("version.py");
        if (py != null && Files.isRegularFile(py)) {
            Matcher m = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]").matcher(Files.readString(py));
            if (m.find()) return m.group(1);
        }
        return null;
    }

    private static String env(String k) {
        String v = System.getenv(k);
        return v != null ? v : System.getProperty(k);
    }
}
