package instantid.pipeline;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.load.ComponentFiles;
import instantid.load.ModelLayout;
import instantid.load.ParameterCheck;
import instantid.load.SingleFile;
import instantid.nn.ClipTextConfig;
import instantid.nn.ClipTextEncoder;
import instantid.nn.ParameterLists;
import instantid.nn.UNet;
import instantid.nn.UNetConfig;
import instantid.nn.Vae;
import instantid.nn.VaeConfig;
import instantid.sample.ScheduleConfig;
import instantid.tensor.Weights;
import instantid.text.ClipTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDXL networks of one model, loaded once: tokenizers, both text encoders, UNet, VAE and the
 * scheduler config, from a diffusers folder or from a single-file checkpoint (then the tokenizers
 * and scheduler config come from the folder next to it when it has them). Weights stay in their
 * memory-mapped files until first use; {@link #close()} frees every native array.
 */
public final class SdxlModels implements AutoCloseable {

    public final Runtime runtime;
    public final NDManager manager;
    public final ClipTokenizer tokenizer1;
    public final ClipTokenizer tokenizer2;
    public final ClipTextEncoder textEncoder1;
    public final ClipTextEncoder textEncoder2;
    public final UNet unet;
    public final Vae vae;
    public final ScheduleConfig schedule;
    public final boolean forceZerosForEmptyPrompt;
    /** The networks by stage, and the memory plan carried out over them. */
    public final MemoryStages memory;
    private final List<TensorSource> sources;
    private final List<Weights> weights;

    private SdxlModels(Runtime runtime, NDManager manager, ClipTokenizer t1, ClipTokenizer t2, ClipTextEncoder te1,
                       ClipTextEncoder te2, UNet unet, Vae vae, ScheduleConfig schedule, boolean forceZeros,
                       List<TensorSource> sources, List<Weights> weights, MemoryStages memory) {
        this.runtime = runtime;
        this.manager = manager;
        this.tokenizer1 = t1;
        this.tokenizer2 = t2;
        this.textEncoder1 = te1;
        this.textEncoder2 = te2;
        this.unet = unet;
        this.vae = vae;
        this.schedule = schedule;
        this.forceZerosForEmptyPrompt = forceZeros;
        this.sources = sources;
        this.weights = weights;
        this.memory = memory;
    }

    /** Loads from {@code paths.base()} (diffusers folder) or {@code paths.checkpoint()} (single file). */
    public static SdxlModels load(ModelPaths paths, Runtime rt, Progress progress) {
        Path base = paths.base();
        List<TensorSource> sources = new ArrayList<>();
        List<Weights> weights = new ArrayList<>();
        NDManager manager = NDManager.newBaseManager(rt.device());
        try {
            Path tokDir = base;
            if (tokDir == null || !Files.isDirectory(tokDir.resolve("tokenizer"))) {
                throw new IllegalArgumentException("no tokenizer/ and tokenizer_2/ folders in " + base
                        + ": give --models a diffusers SDXL folder (a single-file checkpoint needs one beside it for the tokenizers)");
            }
            progress.status("loading tokenizers");
            ClipTokenizer t1 = ClipTokenizer.load(tokDir.resolve("tokenizer"));
            ClipTokenizer t2 = ClipTokenizer.load(tokDir.resolve("tokenizer_2"));
            ScheduleConfig sched = base != null && Files.isRegularFile(base.resolve("scheduler/scheduler_config.json"))
                    ? ScheduleConfig.read(base.resolve("scheduler/scheduler_config.json")) : ScheduleConfig.sdxl();
            boolean forceZeros = readForceZeros(base);
            boolean fp16 = rt.dtype() != ai.djl.ndarray.types.DataType.FLOAT32;
            Weights wUnet = new Weights(manager, rt.dtype());
            Weights wVae = new Weights(manager, rt.dtype());
            Weights wTe1 = new Weights(manager, rt.dtype());
            Weights wTe2 = new Weights(manager, rt.dtype());
            weights.addAll(List.of(wUnet, wVae, wTe1, wTe2));
            UNetConfig uc;
            VaeConfig vc;
            ClipTextConfig c1, c2;
            Path[] files; // the file each network comes from: UNet, VAE, text encoders
            if (paths.checkpoint() != null) {
                progress.status("opening checkpoint " + paths.checkpoint().getFileName());
                TensorSource ck = TensorSources.open(paths.checkpoint());
                sources.add(ck);
                files = new Path[] {paths.checkpoint(), paths.checkpoint(), paths.checkpoint(), paths.checkpoint()};
                SingleFile.map(paths.checkpoint(), ck, wUnet, wVae, wTe1, wTe2);
                // a checkpoint has no configs: the folder's config.json files when it has them
                // (they describe the same architecture), else what the shapes and SDXL's constants give
                uc = has(base, "unet") ? UNetConfig.fromJson(json(base.resolve("unet/config.json"))) : UNetConfig.fromWeights(wUnet);
                vc = has(base, "vae") ? VaeConfig.fromJson(json(base.resolve("vae/config.json"))) : VaeConfig.fromWeights(wVae);
                c1 = has(base, "text_encoder") ? ClipTextConfig.fromJson(json(base.resolve("text_encoder/config.json")), wTe1)
                        : ClipTextConfig.fromWeights(wTe1);
                c2 = has(base, "text_encoder_2") ? ClipTextConfig.fromJson(json(base.resolve("text_encoder_2/config.json")), wTe2)
                        : ClipTextConfig.fromWeights(wTe2);
            } else {
                progress.status("opening " + base);
                uc = UNetConfig.fromJson(json(base.resolve("unet/config.json")));
                vc = VaeConfig.fromJson(json(base.resolve("vae/config.json")));
                TensorSource su = open(base.resolve("unet"), fp16, sources);
                TensorSource sv = open(base.resolve("vae"), fp16, sources);
                TensorSource s1 = open(base.resolve("text_encoder"), fp16, sources);
                TensorSource s2 = open(base.resolve("text_encoder_2"), fp16, sources);
                files = new Path[] {su.path(), sv.path(), s1.path(), s2.path()};
                // the wrong network in a component folder (a ControlNet in unet/) is named by its kind here
                expect(su, ModelLayout.Net.UNET);
                expect(sv, ModelLayout.Net.VAE);
                wUnet.mapAll(su, "");
                wVae.mapAll(sv, "");
                wTe1.mapAll(s1, "");
                wTe2.mapAll(s2, "");
                c1 = ClipTextConfig.fromJson(json(base.resolve("text_encoder/config.json")), wTe1);
                c2 = ClipTextConfig.fromJson(json(base.resolve("text_encoder_2/config.json")), wTe2);
            }
            // every tensor the configs ask for, and no other, before anything is computed
            ParameterCheck.verify("UNet", files[0], ParameterLists.unet(uc), wUnet);
            ParameterCheck.verify("VAE", files[1], ParameterLists.vae(vc), wVae);
            ParameterCheck.verify("text encoder", files[2], clipParameters(c1, wTe1), wTe1);
            ParameterCheck.verify("second text encoder", files[3], clipParameters(c2, wTe2), wTe2);
            UNet unet = new UNet(wUnet, uc);
            Vae vae = new Vae(vc, wVae);
            MemoryStages ms = new MemoryStages(rt.memory(), rt.device().isGpu(), rt.dtype())
                    .add("text_encoder", MemoryStages.Stage.TEXT, wTe1).add("text_encoder_2", MemoryStages.Stage.TEXT, wTe2)
                    .add("unet", MemoryStages.Stage.DENOISE, wUnet);
            ms.vae(vae);
            return new SdxlModels(rt, manager, t1, t2, new ClipTextEncoder(c1, wTe1), new ClipTextEncoder(c2, wTe2),
                    unet, vae, sched, forceZeros, sources, weights, ms);
        } catch (IOException e) {
            closeAll(sources, weights, manager);
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(sources, weights, manager);
            throw e;
        }
    }

    /**
     * A text encoder's parameters in the naming its weights use: a single file's encoders are
     * mapped without transformers' {@code text_model.} prefix (see KeyMaps), a folder's keep it.
     */
    private static java.util.Map<String, long[]> clipParameters(ClipTextConfig c, Weights w) {
        java.util.Map<String, long[]> m = ParameterLists.clip(c);
        if (w.has("text_model.embeddings.token_embedding.weight")) return m;
        java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.startsWith("text_model.") ? k.substring("text_model.".length()) : k, v));
        return out;
    }

    private static boolean has(Path base, String component) {
        return base != null && Files.isRegularFile(base.resolve(component).resolve("config.json"));
    }

    static TensorSource open(Path componentDir, boolean fp16, List<TensorSource> sources) {
        TensorSource s = TensorSources.open(ComponentFiles.weights(componentDir, fp16));
        sources.add(s);
        return s;
    }

    static JsonObject json(Path p) {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("missing " + p);
        try {
            return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(p + " is not valid JSON: " + e.getMessage());
        }
    }

    private static boolean readForceZeros(Path base) throws IOException {
        Path idx = base == null ? null : base.resolve("model_index.json");
        if (idx == null || !Files.isRegularFile(idx)) return true;
        JsonObject o = json(idx);
        return !o.has("force_zeros_for_empty_prompt") || o.get("force_zeros_for_empty_prompt").getAsBoolean();
    }

    /** Loads every weight now (benchmarks separate load time from the first step). */
    public void loadAll() {
        for (Weights w : weights) w.loadAll();
        vae.weights().loadAll();
    }

    private static void expect(TensorSource src, ModelLayout.Net net) {
        ModelLayout.expect(src, new ModelLayout.Part(net, src.path(), "", ModelLayout.Naming.DIFFUSERS, null));
    }

    /** The weights of the networks, for LoRA: UNet, text encoder 1, text encoder 2. */
    public List<Weights> loraTargets() {
        return List.of(weights.get(0), weights.get(2), weights.get(3));
    }

    private static void closeAll(List<TensorSource> sources, List<Weights> weights, NDManager m) {
        for (Weights w : weights) w.close();
        for (TensorSource s : sources) s.close();
        m.close();
    }

    @Override
    public void close() {
        vae.close();
        closeAll(sources, weights, manager);
    }
}
