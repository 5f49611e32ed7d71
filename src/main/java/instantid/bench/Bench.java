package instantid.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import instantid.common.CancelToken;
import instantid.nn.ControlNet;
import instantid.nn.IpContext;
import instantid.nn.IpIdentity;
import instantid.nn.UNet;
import instantid.nn.UNetExtras;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.MemoryMode;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Progress;
import instantid.pipeline.Region;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SdxlModels;
import instantid.pipeline.SdxlPipeline;
import instantid.tensor.AttentionKernel;
import instantid.tensor.Ops;
import instantid.tensor.Scope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark: model load time, seconds per UNet step (and per IdentityNet pass, i.e. per
 * identity) as the median of N timed calls after warm-up, VAE decode time, whole-image time, the
 * process's memory peaks (see {@link Memory}), optionally the peak of a whole image per memory mode
 * ({@link BenchModes}), and the number of native arrays one UNet forward creates — a figure that
 * does not depend on the machine (each NDArray op makes one), counted after every memory figure
 * was taken ({@link OpCounts}: its one flat scope keeps every array of a forward alive).
 */
public final class Bench {

    /** What to measure. */
    public record Options(ModelPaths paths, RuntimeOptions runtime, int width, int height, int batch, int steps,
                          int warmup, boolean instantId, int identities, int imageSteps, List<MemoryMode> memoryModes,
                          String attention, String hold) {

        /** Without a per-memory-mode pass, fused attention, weights held as planned for narrow memory. */
        public Options(ModelPaths paths, RuntimeOptions runtime, int width, int height, int batch, int steps,
                       int warmup, boolean instantId, int identities, int imageSteps) {
            this(paths, runtime, width, height, batch, steps, warmup, instantId, identities, imageSteps, List.of(),
                    "fused", "narrow");
        }

        public Options {
            StepVariant.parse(attention, hold); // refuses bad names before anything loads
        }
    }

    private Bench() {
    }

    public static Map<String, Object> run(Options o, Consumer<String> log) {
        Memory.start();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("pipeline", o.instantId() ? "instantid" : "sdxl");
        r.put("size", o.width() + "x" + o.height());
        r.put("batch", o.batch());
        r.put("dtype", o.runtime().dtype());
        r.put("cpus", java.lang.Runtime.getRuntime().availableProcessors());
        r.putAll(Memory.allocatorSettings());
        long t0 = System.nanoTime();
        InstantIdPipeline iid = null;
        SdxlModels m;
        if (o.instantId()) {
            iid = InstantIdPipeline.load(o.paths(), o.runtime(), progress(log));
            m = iid.sdxl();
        } else {
            m = SdxlModels.load(o.paths(), instantid.pipeline.Runtime.resolve(o.runtime()), progress(log));
        }
        try {
            // what a denoising step uses; the text encoders load (lazily) only for a whole image
            m.unet.weights().loadAll();
            m.vae.weights().loadAll();
            if (iid != null) iid.identityNet().weights().loadAll();
            r.put("device", m.runtime.description());
            r.put("engine_threads", instantid.tensor.EngineThreads.intraOp());
            r.put("load_s", secs(t0));
            log.accept("loaded in " + r.get("load_s") + " s");
            try (NDManager nd = m.manager.newSubManager()) {
                long b = 2L * o.batch(); // classifier-free guidance doubles the batch
                int lh = o.height() / 8, lw = o.width() / 8;
                NDArray x = nd.randomNormal(new Shape(b, 4, lh, lw));
                int ctxDim = m.unet.config().crossAttentionDim();
                NDArray ctx = nd.randomNormal(new Shape(b, 77, ctxDim)).mul(0.5f);
                long pooledDim = m.textEncoder2.config().projectionDim();
                NDArray pooled = nd.randomNormal(new Shape(b, pooledDim));
                NDArray timeIds = nd.create(new float[] {o.height(), o.width(), 0, 0, o.height(), o.width()}).reshape(1, 6)
                        .repeat(0, b);
                NDArray t = nd.create(new float[] {500f});
                UNetExtras extras = UNetExtras.NONE;
                NDArray tokens = null, cond = null;
                if (iid != null) {
                    float[] emb = new float[512];
                    Arrays.fill(emb, 0.5f);
                    tokens = iid.idTokens(nd, emb, true);
                    if (o.batch() > 1) tokens = tokens.repeat(0, o.batch());
                    extras = UNetExtras.ip(new IpContext(List.of(new IpIdentity(tokens, 0.8f))));
                    cond = nd.zeros(new Shape(b, 3, o.height(), o.width()));
                }
                UNet unet = m.unet;
                UNetExtras ex = extras;
                List<StepVariant> variants = StepVariant.parse(o.attention(), o.hold());
                List<AttentionKernel> kernels = variants.stream().map(StepVariant::attention).distinct().toList();
                List<instantid.tensor.Weights> held = new ArrayList<>(List.of(m.unet.weights()));
                if (iid != null) held.add(iid.identityNet().weights());
                for (StepVariant v : variants) {
                    v.apply(held);
                    boolean first = v == variants.get(0);
                    String suffix = first ? "" : "_" + v.id();
                    if (first) r.put("step_variant", v.id());
                    r.put("attention" + suffix, v.attention().effective());
                    Timing ut = median(o, log, "UNet step " + v.id(), () -> unet.forward(x, t, ctx, pooled, timeIds, ex));
                    r.put("unet_step_s" + suffix, ut.median());
                    r.put("unet_step_cpu_s" + suffix, ut.cpuMedian());
                    if (iid != null) {
                        ControlNet cn = iid.identityNet();
                        NDArray tok = tokens, c = cond;
                        Timing ct = median(o, log, "IdentityNet pass " + v.id(),
                                () -> cn.forward(x, t, tok, c, 0.8f, pooled, timeIds).mid());
                        r.put("identitynet_pass_s" + suffix, ct.median());
                        r.put("instantid_step_s" + suffix, round(ut.median() + ct.median()));
                        if (first) r.put("per_extra_identity_s", ct.median());
                    }
                }
                AttentionTiming.put(r, o, nd, m.runtime.dtype(), kernels, log);
                NDArray lat = nd.randomNormal(new Shape(o.batch(), 4, lh, lw));
                for (AttentionKernel k : kernels) {
                    Ops.attentionKernel = k;
                    String key = "vae_decode_s" + (k == variants.get(0).attention() ? "" : "_" + k.id());
                    long v0 = System.nanoTime();
                    try (Scope s = new Scope()) {
                        m.vae.decode(m.vae.unscale(lat.toType(m.vae.computeDType(), false)), CancelToken.NONE);
                    }
                    r.put(key, secs(v0));
                    log.accept("VAE decode (" + k.id() + " attention) " + r.get(key) + " s");
                }
                variants.get(0).apply(held);
            }
            if (o.imageSteps() > 0) {
                GenerationSettings g = new GenerationSettings("a portrait photo", null, o.imageSteps(), 5.0,
                        o.width(), o.height(), 1, "euler", 1, List.of());
                long i0 = System.nanoTime();
                if (iid != null) {
                    List<Identity> ids = identities(o);
                    iid.generate(new InstantIdRequest(g, ids, 0, 1, Map.of()), progress(log));
                } else {
                    new SdxlPipeline(m).generate(g, progress(log));
                }
                r.put("image_s", secs(i0));
                r.put("image_steps", o.imageSteps());
                r.put("identities", iid != null ? o.identities() : 0);
                log.accept("whole image " + r.get("image_s") + " s");
            }
            // the memory figures of the measured work, before the passes below change them
            r.putAll(Memory.figures());
            if (!o.memoryModes().isEmpty()) r.putAll(BenchModes.run(o, m, iid, log));
            OpCounts.put(r, m, iid, o.batch());
        } finally {
            if (iid != null) iid.close();
            else m.close();
        }
        return r;
    }

    /** k identities side by side (the composition path when k > 1). */
    static List<Identity> identities(Options o) {
        List<Identity> ids = new ArrayList<>();
        int k = Math.max(1, o.identities());
        for (int i = 0; i < k; i++) {
            float[] emb = new float[512];
            Arrays.fill(emb, 0.1f * (i + 1));
            int x0 = o.width() * i / k, w = o.width() / k;
            float cx = x0 + w / 2f, cy = o.height() / 2f, d = w / 4f;
            float[] kps = {cx - d / 2, cy - d / 3, cx + d / 2, cy - d / 3, cx, cy + d / 6, cx - d / 3, cy + d / 2, cx + d / 3, cy + d / 2};
            Region reg = k == 1 ? Region.WHOLE : new Region(x0, 0, w, o.height(), 8);
            ids.add(new Identity(emb, kps, 0.8, 0.8, reg, ""));
        }
        return ids;
    }

    interface Forward {
        NDArray call();
    }

    /** Median wall seconds, and median process CPU seconds (all threads; -1 where the JVM cannot say). */
    record Timing(double median, double cpuMedian) {
    }

    static Timing median(Options o, Consumer<String> log, String what, Forward f) {
        for (int i = 0; i < o.warmup(); i++) {
            long s0 = System.nanoTime();
            try (Scope s = new Scope()) {
                f.call().toFloatArray();
            }
            log.accept(what + " warm-up " + (i + 1) + ": " + secs(s0) + " s");
        }
        double[] t = new double[Math.max(1, o.steps())];
        double[] cpu = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            long s0 = System.nanoTime();
            long c0 = Memory.processCpuNanos();
            try (Scope s = new Scope()) {
                f.call().toFloatArray(); // forces the engine to finish the work
            }
            t[i] = secs(s0);
            cpu[i] = c0 < 0 ? -1 : round((Memory.processCpuNanos() - c0) / 1e9);
            log.accept(what + " " + (i + 1) + "/" + t.length + ": " + t[i] + " s (CPU " + cpu[i] + " s)");
        }
        return new Timing(medianOf(t), medianOf(cpu));
    }

    private static double medianOf(double[] v) {
        double[] t = v.clone();
        Arrays.sort(t);
        return round(t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2);
    }

    static Progress progress(Consumer<String> log) {
        return new Progress() {
            @Override
            public void status(String message) {
                log.accept(message);
            }

            @Override
            public void step(int image, int step, int total, instantid.pipeline.Preview preview) {
                log.accept("image step " + step + "/" + total);
            }
        };
    }

    static double secs(long t0) {
        return round((System.nanoTime() - t0) / 1e9);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Writes the figures as JSON. */
    public static void writeJson(Path file, Map<String, Object> r) throws IOException {
        Files.writeString(file, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(r));
    }
}
