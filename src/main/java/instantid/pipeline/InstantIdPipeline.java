package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import instantid.common.CancelToken;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.load.ComponentFiles;
import instantid.load.ParameterCheck;
import instantid.lora.Lora;
import instantid.nn.BlockScales;
import instantid.nn.ControlNet;
import instantid.nn.IpAdapterKeys;
import instantid.nn.IpContext;
import instantid.nn.IpIdentity;
import instantid.nn.ParameterLists;
import instantid.nn.Resampler;
import instantid.nn.ResamplerConfig;
import instantid.nn.UNetConfig;
import instantid.nn.UNetExtras;
import instantid.sample.Denoiser;
import instantid.sample.NoiseSource;
import instantid.sample.Rng;
import instantid.sample.Sampler;
import instantid.sample.Samplers;
import instantid.sample.StepListener;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import instantid.sample.Seeds;
import instantid.face.Keypoints;

/**
 * The InstantID pipeline, as the official {@code StableDiffusionXLInstantIDPipeline}: the face
 * embedding through the Resampler into ID tokens (zeros for the unconditional branch), the tokens
 * attended by every cross-attention through {@code to_k_ip}/{@code to_v_ip} at the IP scale, and
 * IdentityNet conditioned on the five-keypoint drawing with the ID tokens as its only context, its
 * residuals (times its scale, inside start..end) added to the UNet's skips. Several identities
 * (multi-identity composition) run one IdentityNet pass each, masked to their regions, and attend
 * their own tokens only inside their regions; one identity on the whole canvas takes exactly the
 * single-identity path, where the app's "enhance non-face region" (on by default when the identity
 * has a face box) confines IdentityNet and the IP attention to the face box ({@link FaceRegionMask}).
 */
public final class InstantIdPipeline implements AutoCloseable {

    private final SdxlModels sdxl;
    private final ControlNet identityNet;
    private final Resampler resampler;
    private final List<Weights> ownWeights;
    private final List<TensorSource> sources;
    private final ImageAdapters adapters;

    private InstantIdPipeline(SdxlModels sdxl, ControlNet identityNet, Resampler resampler,
                              List<Weights> ownWeights, List<TensorSource> sources) {
        this.sdxl = sdxl;
        this.adapters = new ImageAdapters(sdxl);
        this.identityNet = identityNet;
        this.resampler = resampler;
        this.ownWeights = ownWeights;
        this.sources = sources;
    }

    /** Loads every model named by {@code paths} on the device/precision of {@code options}. */
    public static InstantIdPipeline load(ModelPaths paths, RuntimeOptions options, Progress progress) {
        return load(paths, options, progress, null);
    }

    /**
     * As {@link #load(ModelPaths, RuntimeOptions, Progress)}, with the Resampler's constructor
     * arguments ({@code dim, depth, dim_head, heads, ...}) when they are not the published ones:
     * the split of its attention into heads is not in the weights (the published adapter, and the
     * default here, uses heads of 64). Without them, a {@code resampler.json} beside
     * {@code ip-adapter.bin} is read when there is one.
     */
    public static InstantIdPipeline load(ModelPaths paths, RuntimeOptions options, Progress progress,
                                         JsonObject resamplerConfig) {
        String missing = paths.missingForInstantId();
        if (missing != null) throw new IllegalArgumentException(missing);
        SdxlModels sdxl = SdxlModels.load(paths, Runtime.resolve(options), progress);
        List<Weights> own = new ArrayList<>();
        List<TensorSource> sources = new ArrayList<>();
        try {
            progress.status("opening IdentityNet " + paths.controlNet());
            Weights cw = new Weights(sdxl.manager, sdxl.runtime.dtype());
            own.add(cw);
            Path cnFile = ComponentFiles.weights(paths.controlNet(), sdxl.runtime.dtype() != DataType.FLOAT32);
            TensorSource cs = TensorSources.open(cnFile);
            sources.add(cs);
            cw.mapAll(cs, "");
            JsonObject cnConfig = SdxlModels.json(paths.controlNet().resolve("config.json"));
            UNetConfig cnc = UNetConfig.fromJson(cnConfig);
            ParameterCheck.verify("IdentityNet (ControlNet)", cnFile,
                    ParameterLists.controlNet(cnc, ParameterLists.ControlNetCond.fromJson(cnConfig)), cw);
            ControlNet cn = new ControlNet(cw, cnc);
            progress.status("opening image adapter " + paths.adapter().getFileName());
            TensorSource proj = TensorSources.open(paths.adapter(), "image_proj");
            TensorSource ip = TensorSources.open(paths.adapter(), "ip_adapter");
            sources.add(proj);
            sources.add(ip);
            Weights rw = new Weights(sdxl.manager, sdxl.runtime.dtype());
            own.add(rw);
            rw.mapAll(proj, "");
            Path beside = paths.adapter().resolveSibling("resampler.json");
            if (resamplerConfig == null && java.nio.file.Files.isRegularFile(beside)) resamplerConfig = SdxlModels.json(beside);
            Resampler res = resamplerConfig == null ? Resampler.fromWeights(rw)
                    : new Resampler(ResamplerConfig.fromJson(resamplerConfig, rw), rw);
            IpAdapterKeys.map(sdxl.unet.weights(), ip, sdxl.unet.config());
            sdxl.memory.add("identitynet", MemoryStages.Stage.DENOISE, cw).add("resampler", MemoryStages.Stage.DENOISE, rw);
            return new InstantIdPipeline(sdxl, cn, res, own, sources);
        } catch (RuntimeException e) {
            for (Weights w : own) w.close();
            for (TensorSource s : sources) s.close();
            sdxl.close();
            throw e;
        }
    }

    public SdxlModels sdxl() {
        return sdxl;
    }

    /**
     * Text-to-image (with image prompts: a style, a reference object) on this pipeline's SDXL
     * models and image adapters, without reloading them; closing the view frees nothing.
     */
    public SdxlPipeline textToImage() {
        return new SdxlPipeline(sdxl, adapters, false);
    }

    /** IdentityNet, for benchmarks and tests. */
    public ControlNet identityNet() {
        return identityNet;
    }

    /** The Resampler's ID tokens for an embedding ([zeros ; embedding] with guidance), for benchmarks and tests. */
    public NDArray idTokens(NDManager m, float[] embedding, boolean guidance) {
        return idTokensOf(m, embedding, guidance);
    }

    /** "CPU (PyTorch 2.7.1), fp32" or similar, for Settings and every result's settings. */
    public String deviceDescription() {
        return sdxl.runtime.description();
    }

    /** Runs one request: {@code numImages} images with consecutive seeds; cancellable between steps. */
    public Result generate(InstantIdRequest request, Progress progress) {
        return generate(request, progress, false);
    }

    /**
     * As {@link #generate(InstantIdRequest, Progress)}; with {@code idMaps} each image also gets its
     * ID-attention map ({@link IdAttentionRecorder}: where the identity acts), at the output's size.
     */
    public Result generate(InstantIdRequest request, Progress progress, boolean idMaps) {
        GenerationSettings g = request.generation();
        long seed0 = Seeds.resolve(g.seed());
        List<Image> images = new ArrayList<>();
        List<IdMap> maps = new ArrayList<>();
        MemoryPlan plan = sdxl.memory.prepare(g.width(), g.height());
        progress.status("memory: " + plan.reason());
        try (Lora lora = Loras.apply(sdxl, g.loras(), progress);
             NDManager run = sdxl.manager.newSubManager()) {
            for (int k = 0; k < g.numImages(); k++) {
                long seed = seed0 + k;
                Rng rng = new Rng(seed);
                try (Scope s = new Scope()) {
                    NDArray noise = rng.normal(run, SdxlPipeline.latentShape(g));
                    IdAttentionRecorder rec = idMaps ? new IdAttentionRecorder(g.width() / 8, g.height() / 8) : null;
                    int[] steps = {0};
                    NDArray image01 = generate(request, noise, rng, k, progress, (i, n, lat, x0) -> steps[0]++, rec);
                    images.add(new Image(g.width(), g.height(), Decoding.toRgb8(image01), seed));
                    if (rec != null) maps.add(rec.map(g.width(), g.height(), steps[0]));
                }
            }
        }
        JsonObject settings = SettingsJson.of(request, seed0);
        settings.addProperty("pipeline", "instantid");
        settings.addProperty("device", deviceDescription());
        settings.addProperty("memory", plan.setting());
        return new Result(images, SettingsJson.toJson(settings), List.of(), maps);
    }

    /**
     * One image from given initial noise (before init_noise_sigma), with {@code listener} seeing the
     * latents after every step; returns the [1, H, W, 3] image in 0..1. LoRAs are not applied here
     * ({@link #generate(InstantIdRequest, Progress)} does). Used by parity checks and tests.
     */
    public NDArray generate(InstantIdRequest r, NDArray noise, NoiseSource rng, int index, Progress progress,
                            StepListener listener) {
        return generate(r, noise, rng, index, progress, listener, null);
    }

    /** As above, with {@code recorder} (or null) seeing every IP cross-attention layer's text and IP parts. */
    public NDArray generate(InstantIdRequest r, NDArray noise, NoiseSource rng, int index, Progress progress,
                            StepListener listener, instantid.nn.IpRecorder recorder) {
        GenerationSettings g = r.generation();
        NDManager m = noise.getManager();
        boolean cfg = Guidance.enabled(g.guidance());
        int w = g.width(), h = g.height();
        List<Identity> ids = r.identities();
        boolean masked = Regions.masked(ids, w, h);
        sdxl.memory.enter(MemoryStages.Stage.TEXT);
        PromptEncoding.Conditioning c = PromptEncoding.encode(g.promptEncoder(), sdxl, m, prompt(r), g.negativePrompt(),
                cfg, progress);
        // image prompts are encoded with the text (their encoders belong to that stage)
        List<instantid.nn.IpImageTokens> images = r.imagePrompts().isEmpty() ? List.of()
                : adapters.tokens(m, r.imagePrompts(), cfg, progress);
        sdxl.memory.enter(MemoryStages.Stage.DENOISE);
        NDArray timeIds = TimeIds.of(m, h, w, cfg ? 2 : 1);
        List<NDArray> tokens = new ArrayList<>();
        List<InstantIdDenoiser.Pass> passes = new ArrayList<>();
        for (Identity id : ids) {
            NDArray t = idTokensOf(m, id.embedding(), cfg);
            tokens.add(t);
            passes.add(new InstantIdDenoiser.Pass(t, kpsImage(m, id.keypoints(), w, h, cfg), (float) id.identityNetScale(),
                    id.region()));
        }
        List<NDArray> ipMasks = masked
                ? Regions.arrays(m, Regions.normalised(ids, w, h, w / 8, h / 8, 0), w / 8, h / 8) : null;
        float[] faceBox = r.enhancesFaceRegion() ? ids.get(0).faceBox() : null;
        List<IpIdentity> ipIds = new ArrayList<>();
        for (int k = 0; k < ids.size(); k++) {
            ipIds.add(faceBox != null
                    ? new IpIdentity(tokens.get(k), (float) ids.get(k).ipScale(), FaceRegionMask.ipMask(m, faceBox, w, h), true)
                    : new IpIdentity(tokens.get(k), (float) ids.get(k).ipScale(), masked ? ipMasks.get(k) : null));
        }
        IpContext ip = new IpContext(ipIds, blockScales(r), images, recorder);
        Sampler sampler = Samplers.byName(g.sampler(), sdxl.schedule, g.steps());
        Denoiser d = new InstantIdDenoiser(new SdxlDenoiser(m, sdxl.unet, c, timeIds, g.guidance(), UNetExtras.ip(ip)),
                identityNet, passes, r.controlStart(), r.controlEnd(), sampler.steps(), masked, faceBox, w, h);
        CancelToken cancel = CancelToken.of(progress::cancelled); // the front end's Esc / Ctrl-C
        NDArray latents = Denoising.run(sampler, noise, d, rng, index, progress, listener, cancel);
        progress.status("decoding image " + (index + 1));
        sdxl.memory.enter(MemoryStages.Stage.DECODE);
        NDArray image = Decoding.toImage01(sdxl.vae, latents, cancel);
        sdxl.memory.finish();
        return image;
    }

    private static String prompt(InstantIdRequest r) {
        StringBuilder sb = new StringBuilder(r.generation().prompt());
        for (Identity id : r.identities()) {
            if (!id.phrase().isBlank()) sb.append(sb.length() > 0 ? ", " : "").append(id.phrase().trim());
        }
        return sb.toString();
    }

    /** Per-block IP multipliers by module prefix; "*" is every other block (1 when absent). */
    private static BlockScales blockScales(InstantIdRequest r) {
        if (r.ipBlockScales().isEmpty()) return BlockScales.UNIFORM;
        java.util.Map<String, Float> m = new java.util.HashMap<>();
        r.ipBlockScales().forEach((k, v) -> {
            if (!k.equals("*")) m.put(k, v.floatValue());
        });
        Double rest = r.ipBlockScales().get("*");
        return BlockScales.of(m, rest == null ? 1f : rest.floatValue());
    }

    /** The Resampler's ID tokens: [zeros ; embedding] with guidance, as the reference. */
    private NDArray idTokensOf(NDManager m, float[] embedding, boolean cfg) {
        int d = embedding.length;
        NDArray e = m.create(embedding, new Shape(1, 1, d));
        if (cfg) e = e.zerosLike().concat(e, 0);
        return resampler.forward(e.toType(sdxl.runtime.dtype(), false));
    }

    /** The keypoint drawing at the output size as [B, 3, H, W] in 0..1. */
    static NDArray kpsImage(NDManager m, Keypoints kps, int w, int h, boolean cfg) {
        byte[] rgb = KeypointImage.draw(w, h, kps.points());
        float[] v = new float[rgb.length];
        int plane = w * h;
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < 3; ch++) v[ch * plane + p] = (rgb[p * 3 + ch] & 0xff) / 255f;
        }
        NDArray img = m.create(v, new Shape(1, 3, h, w));
        return cfg ? img.concat(img, 0) : img;
    }

    @Override
    public void close() {
        adapters.close();
        for (Weights w : ownWeights) w.close();
        for (TensorSource s : sources) s.close();
        sdxl.close();
    }
}
