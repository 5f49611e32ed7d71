package instantid.parity;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import instantid.text.ClipTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kind {@code clip_tokenizer}: case.json {@code prompts} tokenized at config {@code max_length};
 * {@code ids_pad_eos} with the first tokenizer (pads with its end token), {@code ids_pad_bang}
 * with the second (pads with "!"). The tokenizer folders are looked for in the case folder first
 * ({@code tokenizer/}, {@code tokenizer_2/}, or a vocab.json in the case folder itself), then in
 * {@code pipeline_sdxl_tiny/} next to it.
 */
public final class ClipTokenizerCase implements CaseRunner {

    @Override
    public String kind() {
        return "clip_tokenizer";
    }

    @Override
    public Outcome run(Case c, NDManager manager) {
        int max = (int) c.number("max_length", 77);
        List<String> prompts = new ArrayList<>();
        for (JsonElement e : c.array("prompts")) prompts.add(e.getAsString());
        if (prompts.isEmpty()) return Outcome.fail("case.json has no 'prompts'");
        Path first = folder(c, "tokenizer");
        if (first == null) return Outcome.skip("needs a tokenizer folder (vocab.json + merges.txt) in the case or in pipeline_sdxl_tiny/");
        ClipTokenizer t1 = ClipTokenizer.load(first);
        Path second = folder(c, "tokenizer_2");
        ClipTokenizer t2 = second != null ? ClipTokenizer.load(second) : t1.withPad("!");
        Report r = new Report(c);
        check(r, c, "ids_pad_eos", t1.padToken().equals("!") ? t1.withPad("<|endoftext|>") : t1, prompts, max);
        check(r, c, "ids_pad_bang", t2, prompts, max);
        return r.outcome();
    }

    private static void check(Report r, Case c, String name, ClipTokenizer t, List<String> prompts, int max) {
        if (!c.has(name)) return;
        float[] ids = new float[prompts.size() * max];
        for (int i = 0; i < prompts.size(); i++) {
            long[] e = t.encode(prompts.get(i), max).ids();
            for (int j = 0; j < max; j++) ids[i * max + j] = e[j];
        }
        r.check(name, ids, 0, 0);
    }

    private static Path folder(Case c, String sub) {
        for (Path p : List.of(c.dir.resolve(sub), c.dir, c.root().resolve("pipeline_sdxl_tiny").resolve(sub))) {
            if (Files.isRegularFile(p.resolve("vocab.json")) && Files.isRegularFile(p.resolve("merges.txt"))) {
                if (p.equals(c.dir) && sub.equals("tokenizer_2")) continue; // a single vocab in the case: derive the "!" variant
                return p;
            }
        }
        return null;
    }
}
