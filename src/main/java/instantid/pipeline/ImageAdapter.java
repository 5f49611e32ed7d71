package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.ClipVisionConfig;
import instantid.nn.ClipVisionEncoder;
import instantid.nn.ImageProjModel;
import instantid.nn.InstantStyle;
import instantid.nn.IpAdapterKeys;
import instantid.nn.IpImageTokens;
import instantid.nn.Resampler;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One loaded IP-Adapter SDXL with its CLIP image encoder, bound to a UNet: the plain adapter
 * ({@code ip-adapter_sdxl}: {@code image_embeds} of ViT-bigG → ImageProjModel → 4 tokens) or a Plus
 * adapter ({@code ip-adapter-plus(-face)_sdxl_vit-h}: the penultimate hidden state of ViT-H → the
 * Resampler → 16 tokens), recognised by its {@code image_proj} keys, and its {@code to_k_ip/to_v_ip}
 * layers in weights of its own (freed with it). Unconditional tokens as the reference: the
 * projection of zeros (plain), the encoder run on an all-zero image (Plus).
 */
final class ImageAdapter implements AutoCloseable {

    private final Path file;
    private final ClipVisionEncoder encoder;
    private final ImageProjModel plain;
    private final Resampler plus;
    private final Weights layers;
    private final List<Weights> own;
    private final List<TensorSource> sources;
    private final MemoryStages stages;

    private ImageAdapter(Path file, ClipVisionEncoder encoder, ImageProjModel plain, Resampler plus, Weights layers,
                         List<Weights> own, List<TensorSource> sources, MemoryStages stages) {
        this.file = file;
        this.encoder = encoder;
        this.plain = plain;
        this.plus = plus;
        this.layers = layers;
        this.own = own;
        this.sources = sources;
        this.stages = stages;
    }

    static ImageAdapter load(Path file, Path encoderDir, SdxlModels sdxl, Progress progress) {
        DataType dt = sdxl.runtime.dtype();
        List<Weights> own = new ArrayList<>();
        List<TensorSource> sources = new ArrayList<>();
        try {
            progress.status("opening image encoder " + encoderDir);
            TensorSource es = SdxlModels.open(encoderDir, dt != DataType.FLOAT32, sources);
            Weights ew = new Weights(sdxl.manager, dt);
            own.add(ew);
            ew.mapAll(es, "");
            ClipVisionEncoder enc = new ClipVisionEncoder(ClipVisionConfig.fromJson(SdxlModels.json(encoderDir.resolve("config.json"))), ew);
            progress.status("opening image adapter " + file.getFileName());
            TensorSource proj = TensorSources.open(file, "image_proj");
            sources.add(proj);
            TensorSource ip = TensorSources.open(file, "ip_adapter");
            sources.add(ip);
            Weights pw = new Weights(sdxl.manager, dt);
            own.add(pw);
            pw.mapAll(proj, "");
            Weights lw = new Weights(sdxl.manager, dt);
            own.add(lw);
            IpAdapterKeys.map(lw, sdxl.unet.weights(), ip, sdxl.unet.config());
            ImageProjModel plain = null;
            Resampler plus = null;
            if (pw.has("latents")) {
                plus = Resampler.fromWeights(pw);
                int want = plus.config().embeddingDim(), got = enc.config().hiddenSize();
                if (want != got) throw mismatch(file, encoderDir, "hidden states " + want, got, "ViT-H (models/image_encoder)");
            } else {
                plain = new ImageProjModel(pw);
                int want = plain.clipEmbeddingsDim(), got = enc.config().projectionDim();
                if (want != got) throw mismatch(file, encoderDir, "image embeds " + want, got, "ViT-bigG (sdxl_models/image_encoder)");
            }
            // the encoder and projection run with the prompts (text stage), the IP layers in every step
            sdxl.memory.add(component("image_encoder", file), MemoryStages.Stage.TEXT, ew);
            sdxl.memory.add(component("image_proj", file), MemoryStages.Stage.TEXT, pw);
            sdxl.memory.add(component("ip_layers", file), MemoryStages.Stage.DENOISE, lw);
            return new ImageAdapter(file, enc, plain, plus, lw, own, sources, sdxl.memory);
        } catch (RuntimeException e) {
            for (Weights w : own) w.close();
            for (TensorSource s : sources) s.close();
            throw e;
        }
    }

    private static String component(String part, Path file) {
        return part + " (" + file.getFileName() + ")";
    }

    private static IllegalArgumentException mismatch(Path file, Path enc, String want, int got, String which) {
        return new IllegalArgumentException("image adapter " + file.getFileName() + " takes " + want + " wide, but the image encoder "
                + enc + " gives " + got + ": use the encoder it was trained with, " + which);
    }

    /** A Plus adapter (Resampler over hidden states), which takes no content subtraction. */
    boolean isPlus() {
        return plus != null;
    }

    /**
     * The prompt's IP tokens on {@code m}: [unconditional ; conditional] with guidance, else the
     * conditional row; with the prompt's scale, block scales and this adapter's layers.
     *
     * @param contentEmbeds [1, P] pooled text_encoder_2 embedding of the content prompt, or null
     */
    IpImageTokens tokens(NDManager m, ImagePrompt p, boolean cfg, NDArray contentEmbeds, SdxlModels sdxl) {
        int s = encoder.config().imageSize();
        if (p.height() != s || p.width() != s) {
            throw new IllegalArgumentException(p.use() + " image is " + p.width() + "x" + p.height()
                    + " pixels but the image encoder takes " + s + "x" + s + " (preprocess it with the encoder's preprocessor_config.json)");
        }
        if (isPlus() && p.subtractsContent()) {
            throw new IllegalArgumentException("content subtraction works with the plain IP-Adapter (ip-adapter_sdxl) only: "
                    + file.getFileName() + " is an IP-Adapter Plus, which reads the image's hidden states (not an embedding"
                    + " in the text's space); remove the content prompt or set its scale to 0");
        }
        NDArray tokens;
        try (Scope scope = new Scope()) {
            NDArray px = m.create(p.pixels(), new Shape(1, 3, s, s));
            NDArray batch = cfg ? px.zerosLike().concat(px, 0) : px;
            if (isPlus()) {
                try (ClipVisionEncoder.Output o = encoder.encode(batch)) {
                    tokens = plus.forward(o.penultimate());
                }
            } else {
                NDArray embeds;
                try (ClipVisionEncoder.Output o = encoder.encode(px)) {
                    embeds = o.imageEmbeds().toType(DataType.FLOAT32, true);
                }
                if (contentEmbeds != null) {
                    embeds = InstantStyle.subtractContent(embeds, contentEmbeds.toType(DataType.FLOAT32, false), (float) p.contentScale());
                }
                if (cfg) embeds = embeds.zerosLike().concat(embeds, 0);
                tokens = plain.forward(embeds);
            }
            scope.keep(tokens);
        }
        return new IpImageTokens(tokens, (float) p.scale(), InstantStyle.blocks(p.blocks(), sdxl.unet.config()), layers);
    }

    @Override
    public void close() {
        for (String part : List.of("image_encoder", "image_proj", "ip_layers")) stages.remove(component(part, file));
        for (Weights w : own) w.close();
        for (TensorSource s : sources) s.close();
    }
}
