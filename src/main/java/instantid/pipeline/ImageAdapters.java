package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import instantid.nn.ClipTextEncoder;
import instantid.nn.IpImageTokens;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image-prompt adapters a pipeline has loaded, by (adapter file, image encoder folder): loaded
 * on first use, kept for the next run (an encoder is gigabytes), closed with the pipeline. Turns a
 * request's {@link ImagePrompt}s into the UNet's {@link IpImageTokens}.
 */
final class ImageAdapters implements AutoCloseable {

    private final SdxlModels sdxl;
    private final Map<String, ImageAdapter> loaded = new LinkedHashMap<>();

    ImageAdapters(SdxlModels sdxl) {
        this.sdxl = sdxl;
    }

    /** The tokens of every prompt for one image; none for an empty list. */
    synchronized List<IpImageTokens> tokens(NDManager m, List<ImagePrompt> prompts, boolean cfg, Progress progress) {
        List<IpImageTokens> out = new ArrayList<>();
        for (ImagePrompt p : prompts) {
            ImageAdapter a = adapter(p.adapter(), p.imageEncoder(), progress);
            progress.status("encoding the " + p.use() + " image");
            NDArray content = p.subtractsContent() && !a.isPlus() ? contentEmbeds(m, p.contentPrompt()) : null;
            out.add(a.tokens(m, p, cfg, content, sdxl));
        }
        return out;
    }

    private ImageAdapter adapter(Path file, Path encoder, Progress progress) {
        String key = file.toAbsolutePath().normalize() + "\n" + encoder.toAbsolutePath().normalize();
        ImageAdapter a = loaded.get(key);
        if (a == null) {
            a = ImageAdapter.load(file, encoder, sdxl, progress);
            loaded.put(key, a);
        }
        return a;
    }

    /**
     * The content prompt's pooled embedding as the SDXL pipeline's {@code encode_prompt} gives it
     * ({@code text_encoder_2}'s projected {@code text_embeds}), [1, P].
     */
    private NDArray contentEmbeds(NDManager m, String prompt) {
        long[] ids = sdxl.tokenizer2.encode(prompt).ids();
        try (ClipTextEncoder.Output o = sdxl.textEncoder2.encode(m, new long[][] {ids})) {
            if (o.textEmbeds() == null) {
                throw new IllegalArgumentException("content subtraction needs text_encoder_2 with a text projection (SDXL's)");
            }
            return o.textEmbeds().duplicate();
        }
    }

    @Override
    public synchronized void close() {
        for (ImageAdapter a : loaded.values()) a.close();
        loaded.clear();
    }
}
