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

    public static Path weights(Path dir, boolean preferFp16) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir + " does not exist");
        }
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        String[] stems = {"diffusion_pytorch_model", "model"};
        String[] variants = preferFp16 ? new String[] {".fp16", ""} : new String[] {"", ".fp16"};
        String[] exts = {".safetensors", ".safetensors.index.json", ".bin", ".bin.index.json"};
        for (String ext : exts) {
            for (String v : variants) {
                for (String stem : stems) {
                    String n = stem + v + ext;
                    if (names.contains(n)) return dir.resolve(n);
                }
            }
        }
        for (String n : names) if (n.endsWith(".safetensors")) return dir.resolve(n);
        throw new IllegalArgumentException("no weight file in " + dir + " (expected diffusion_pytorch_model.safetensors, "
                + "model.safetensors or an .fp16 variant); found " + names);
    }
}
