package instantid.pipeline;

import ai.djl.Device;
import instantid.nn.Vae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The memory mode a run uses, whether the VAE decodes in tiles, and whether float16 weights are held
 * widened to float32 (CPU, no per-forward cast), with the reason in words. "auto" takes the first
 * of full / offload / sequential whose estimated need fits in 85% of the free memory (device memory
 * on a GPU, MemAvailable on the CPU). The needs are estimates: the weights' exact held bytes plus
 * activation peaks modelled on SDXL (attention scores of the first transformer level, the VAE's
 * full-resolution feature maps); see docs/gpu.md.
 */
public record MemoryPlan(MemoryMode mode, boolean tiledVae, boolean holdWide, String reason) {

    /** The tiles of a planned tiled decode: 64 latent pixels (512 image pixels), overlap 0.25. */
    public static final Vae.Tiling TILES = new Vae.Tiling(64, 0.25);
    private static final double USABLE = 0.85;

    /** What each stage holds: weight bytes per stage and activation peaks, for narrow and wide holding. */
    public record Need(long text, long denoise, long vae, long wideDenoise, long wideText, long unetAct, long vaeAct,
                       long vaeActTiled) {
        long full(boolean wide, boolean tiled) {
            return (wide ? wideText + wideDenoise : text + denoise) + vae + Math.max(unetAct, tiled ? vaeActTiled : vaeAct);
        }

        long offload(boolean tiled) {
            return Math.max(text, Math.max(denoise + unetAct, vae + (tiled ? vaeActTiled : vaeAct)));
        }

        long sequential() {
            return denoise / 10 + Math.max(unetAct, vaeActTiled);
        }
    }

    /** Chooses for {@code asked} with {@code free} bytes available ({@code free < 0}: unknown, then full). */
    public static MemoryPlan choose(MemoryMode asked, long free, Need n, boolean cpuFp32) {
        if (free < 0) {
            MemoryMode m = asked == MemoryMode.AUTO ? MemoryMode.FULL : asked;
            return new MemoryPlan(m, m == MemoryMode.SEQUENTIAL, false, m.id() + " (free memory unknown)");
        }
        long budget = (long) (free * USABLE);
        String fits = " (" + gb(free) + " free; full needs about " + gb(n.full(false, false)) + ", offload "
                + gb(n.offload(false)) + ", sequential " + gb(n.sequential()) + ")";
        MemoryMode m = asked;
        if (m == MemoryMode.AUTO) {
            m = n.full(false, false) <= budget ? MemoryMode.FULL : n.full(false, true) <= budget ? MemoryMode.FULL
                    : n.offload(true) <= budget ? MemoryMode.OFFLOAD : MemoryMode.SEQUENTIAL;
        }
        boolean tiled = switch (m) {
            case FULL -> n.full(false, false) > budget;
            case OFFLOAD -> n.offload(false) > budget;
            default -> true;
        };
        boolean wide = cpuFp32 && m == MemoryMode.FULL && n.wideDenoise > n.denoise && n.full(true, tiled) <= budget;
        String why = (asked == MemoryMode.AUTO ? "auto chose " : "") + m.id() + (tiled ? " with tiled VAE decode" : "")
                + (wide ? ", float16 weights held as float32 (no per-step cast)" : "") + fits;
        return new MemoryPlan(m, tiled, wide, why);
    }

    /**
     * Activation peak of a UNet step at {@code w x h} with classifier-free guidance (batch 2): about
     * 20 live feature maps of 320 channels, plus, unless attention is fused (which never holds the
     * score matrix), the attention scores and softmax of the first transformer level (a quarter of
     * the latent tokens, 10 heads in SDXL).
     */
    public static long unetActivation(int w, int h, int bytes, boolean fusedAttention) {
        long t = (long) (w / 8) * (h / 8);
        long q = t / 4;
        return (fusedAttention ? 0 : 2L * 10 * q * q * bytes * 3) + 2L * t * 320 * bytes * 20;
    }

    /** Activation peak of a VAE decode: ~6 full-resolution maps of 128 channels plus, composed, the mid-block attention scores. */
    public static long vaeActivation(int w, int h, int bytes, boolean fusedAttention) {
        long t = (long) (w / 8) * (h / 8);
        return (long) w * h * 128 * bytes * 6 + (fusedAttention ? 0 : t * t * bytes);
    }

    /** Free memory where the networks run: the device's free memory on a GPU, MemAvailable on the CPU; -1 when unknown. */
    public static long freeBytes(Device d) {
        if (d.isGpu()) {
            try {
                java.lang.management.MemoryUsage u = ai.djl.util.cuda.CudaUtils.getGpuMemory(d);
                return u.getMax() - u.getUsed();
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }
        return memAvailable(Path.of("/proc/meminfo"));
    }

    static long memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    static String gb(long b) {
        return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
    }

    /**
     * What the settings record: the mode and whether the VAE decodes in tiles (which changes the
     * pixels at the seams) — not the free-memory figures of the reason, which differ run to run.
     */
    public String setting() {
        return mode.id() + (tiledVae ? " with tiled VAE decode" : "");
    }
}
