package instantid.cli;

import instantid.bench.RandomModel;
import instantid.io.DType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code random-model}: a model folder of any config with random weights, in the published
 * layouts, so the benchmark runs at full size where no real weights are at hand. Written into a
 * temporary sibling folder and renamed at the end, so a failure leaves no half-written folder.
 */
public final class RandomModelVerb implements Verb {

    static final Options OPTIONS = Options.of("random-model",
            "A model folder of any config with random weights in the published layouts (for bench; the picture is noise).",
            Help.JAR + " random-model --out /tmp/sdxl-random --config sdxl --with-instantid",
            OptionSpec.path("out", "DIR", null, "folder to create (must not exist)"),
            OptionSpec.path("tokenizers", "DIR", null, "a model folder whose tokenizer/ and tokenizer_2/ are copied; "
                    + "default: a small byte-level CLIP tokenizer is written"),
            OptionSpec.path("config", "sdxl|DIR", "sdxl", "the published SDXL configs, or a model folder's configs"),
            OptionSpec.choice("dtype", "fp16", List.of("fp16", "fp32"), "weight precision"),
            OptionSpec.longInt("seed", 0, 0, Long.MAX_VALUE, "seed of the random weights"),
            OptionSpec.flag("with-instantid", "also IdentityNet (ControlNetModel/) and ip-adapter.bin"),
            OptionSpec.path("resampler", "FILE.json", null, "resampler config (default: InstantID's)"));

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        Path out = Path.of(a.required("out")).toAbsolutePath().normalize();
        if (Files.exists(out)) throw new UsageException("--out " + out + " already exists; give a new folder name");
        String cfg = a.get("config");
        final RandomModel.Configs c0 = cfg.equals("sdxl") ? RandomModel.Configs.sdxl() : RandomModel.Configs.of(Path.of(cfg));
        final RandomModel.Configs c = !a.has("resampler") ? c0 : c0.withResampler(com.google.gson.JsonParser.parseString(Files.readString(a.path("resampler"))).getAsJsonObject());
        DType dtype = a.get("dtype").equals("fp32") ? DType.F32 : DType.F16;
        RandomModelVerb.writeFolder(out, tmp -> RandomModel.write(tmp, c, dtype, a.longValue("seed"), a.path("tokenizers"),
                a.flag("with-instantid"), System.err::println));
        System.out.println("wrote " + out);
        return 0;
    }

    /** What fills a folder. */
    interface Filler {
        void fill(Path folder) throws Exception;
    }

    /**
     * Fills a temporary sibling of {@code out} and renames it to {@code out} at the end; on any
     * failure (or Ctrl-C) the temporary folder is deleted, so {@code out} is either complete or absent.
     */
    static void writeFolder(Path out, Filler filler) throws Exception {
        Path parent = out.getParent();
        Files.createDirectories(parent);
        // not createTempDirectory: that folder is 0700 whatever the umask, and it becomes the result
        Path tmp = Files.createDirectory(parent.resolve("." + out.getFileName() + ".part-" + Long.toHexString(System.nanoTime())));
        boolean done = false;
        try {
            filler.fill(tmp);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) deleteTree(tmp);
        }
    }

    static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path f : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(f);
        }
    }
}
