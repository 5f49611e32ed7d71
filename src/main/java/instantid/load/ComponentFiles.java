package instantid.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the weight file of one diffusers component folder ({@code unet/}, {@code vae/}, ...) the
 * way diffusers does: safetensors before pickles, the {@code fp16} variant when that is what the
 * folder has (or what the run computes in), a sharded index when the weights are split.
 */
public final class ComponentFiles {

    private ComponentFiles() {
    }

    /** The weight file of {@code dir}; an error naming the folder and what it holds when there is none. */
    public static Path weights(Path dir, boolean preferFp16) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir + " does not exist");
        }
        Path p = find(dir, preferFp16);
        if (p == null) {
            throw new IllegalArgumentException("no weight file in " + dir + " (expected diffusion_pytorch_model.safetensors, "
                    + "model.safetensors or an .fp16 variant); found " + names(dir));
        }
        return p;
    }

    /**
     * The weight file of {@code dir} by diffusers' preference: safetensors (a sharded index next)
     * before torch {@code .bin}, the plain or the {@code fp16} variant first as asked, the
     * {@code diffusion_pytorch_model} stem before transformers' {@code model} /
     * {@code pytorch_model}; else any {@code .safetensors}; null when there is none or no folder.
     */
    public static Path find(Path dir, boolean preferFp16) {
        if (!Files.isDirectory(dir)) return null;
        List<String> names = names(dir);
        String[] variants = preferFp16 ? new String[] {".fp16", ""} : new String[] {"", ".fp16"};
        String[][] stemsByExt = {
            {".safetensors", "diffusion_pytorch_model", "model"},
            {".safetensors.index.json", "diffusion_pytorch_model", "model"},
            {".bin", "diffusion_pytorch_model", "pytorch_model"},
            {".bin.index.json", "diffusion_pytorch_model", "pytorch_model"}};
        for (String[] e : stemsByExt) {
            for (String v : variants) {
                for (int i = 1; i < e.length; i++) {
                    String n = e[i] + v + e[0];
                    if (names.contains(n)) return dir.resolve(n);
                }
            }
        }
        for (String n : names) if (n.endsWith(".safetensors")) return dir.resolve(n);
        return null;
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }
}
