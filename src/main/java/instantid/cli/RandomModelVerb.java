package instantid.cli;

import instantid.bench.RandomModel;
import instantid.io.DType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code random-model}: a model folder of any config with random weights, in the published
 * layouts, so the benchmark runs at full size where no real weights are at hand.
 */
public final class RandomModelVerb implements Verb {

    static final Set<String> KNOWN = Set.of("out", "config", "dtype", "seed", "tokenizers", "with-instantid", "resampler", "help");

    @Override
    public String name() {
        return "random-model";
    }

    @Override
    public String summary() {
        return "random-model --out DIR --tokenizers DIR [--config sdxl|MODEL_DIR] [--dtype fp16|fp32] [--with-instantid]";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for random-model; known: " + KNOWN);
        if (!a.has("out")) throw new IllegalArgumentException("give --out DIR");
        if (!a.has("tokenizers")) {
            throw new IllegalArgumentException("give --tokenizers DIR: a model folder whose tokenizer/ and tokenizer_2/ are copied");
        }
        String cfg = a.get("config", "sdxl");
        RandomModel.Configs c = cfg.equals("sdxl") ? RandomModel.Configs.sdxl() : RandomModel.Configs.of(Path.of(cfg));
        if (a.has("resampler")) {
            c = c.withResampler(com.google.gson.JsonParser.parseString(Files.readString(Path.of(a.get("resampler", null))))
                    .getAsJsonObject());
        }
        String dt = a.get("dtype", "fp16");
        DType dtype = dt.equals("fp32") ? DType.F32 : dt.equals("fp16") ? DType.F16 : null;
        if (dtype == null) throw new IllegalArgumentException("--dtype is fp16 or fp32, not " + dt);
        Path out = Path.of(a.get("out", null));
        RandomModel.write(out, c, dtype, a.getLong("seed", 0), Path.of(a.get("tokenizers", null)), a.has("with-instantid"),
                System.err::println);
        System.out.println("wrote " + out);
        return 0;
    }
}
