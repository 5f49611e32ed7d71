package instantid.cli;

import instantid.batch.Csv;
import instantid.face.FaceAnalysis;
import instantid.pipeline.IdentityScorer;
import instantid.pipeline.Image;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Png;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SeedSweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code sweep}: one generate request with several seeds, ranked by identity score. Writes under
 * {@code --out-dir}: {@code seed-S.png} + {@code .json} per seed, {@code montage.png} (tiles best
 * first, each labelled with seed and score), {@code ranking.csv}, and {@code best.json}: the best
 * image's settings, which {@code generate --settings best.json} reproduces.
 */
public final class SweepVerb implements Verb {

    static final Set<String> KNOWN;

    static {
        Set<String> k = new HashSet<>(GenerateVerb.KNOWN);
        k.remove("out");
        k.remove("num-images");
        k.addAll(Set.of("out-dir", "count", "seeds"));
        KNOWN = Set.copyOf(k);
    }

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String summary() {
        return "sweep --face IMG --prompt P [--count N | --seeds S1,S2,..] --out-dir DIR [generate options]  seeds ranked by identity score";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for sweep; known: " + KNOWN);
        Path dir = Path.of(a.get("out-dir", "sweep"));
        List<Long> seeds = seeds(a);
        ModelPaths paths = CliModels.paths(a);
        String missing = paths.missingForInstantId();
        if (missing != null) throw new IllegalArgumentException(missing + CliModels.hint(a));
        if (paths.faceModels() == null) {
            throw new IllegalArgumentException("sweep ranks seeds by identity score: give --face-models DIR (the insightface models)");
        }
        RuntimeOptions rt = new RuntimeOptions(a.get("device", "auto"), a.get("dtype", "fp32"));
        if (!a.has("settings")) CliModels.generation(a, "euler").validate();
        try (FaceAnalysis fa = Scoring.open(paths)) {
            InstantIdRequest request = GenerateVerb.request(a, paths, fa);
            CliProgress progress = new CliProgress();
            try (InstantIdPipeline p = InstantIdPipeline.load(paths, rt, progress)) {
                Result r = SeedSweep.run(p, request, seeds, new IdentityScorer(fa, Scoring.options(a)), progress);
                write(dir, r);
            }
        }
        return 0;
    }

    static List<Long> seeds(Args a) {
        if (a.has("seeds")) {
            if (a.has("count")) throw new IllegalArgumentException("give --seeds LIST or --count N, not both");
            List<Long> s = new ArrayList<>();
            for (String p : a.get("seeds", "").split("[,\\s]+")) {
                if (p.isEmpty()) continue;
                try {
                    s.add(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--seeds: '" + p + "' is not a whole number");
                }
            }
            if (s.isEmpty() || new HashSet<>(s).size() != s.size()) {
                throw new IllegalArgumentException("--seeds expects distinct whole numbers, e.g. 1,2,3");
            }
            return s;
        }
        int n = a.getInt("count", 4);
        if (n < 1 || n > 1000) throw new IllegalArgumentException("--count must be 1..1000, got " + n);
        long first = a.getLong("seed", -1);
        return SeedSweep.seeds(first >= 0 ? first : ThreadLocalRandom.current().nextLong(0, 1L << 40), n);
    }

    /** The per-seed files, the montage, the ranking and best.json; prints one line per seed and how to reproduce the best. */
    static void write(Path dir, Result r) throws Exception {
        List<Integer> order = SeedSweep.ranking(r);
        List<Image> tiles = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        StringBuilder csv = new StringBuilder("rank,seed,identity_score,identity_score_reason,file\n");
        for (int rank = 0; rank < order.size(); rank++) {
            int i = order.get(rank);
            Image im = r.images().get(i);
            Path png = dir.resolve("seed-" + im.seed() + ".png");
            Outputs.writeOne(png, r, i);
            System.out.println(Outputs.line(png, r, i));
            tiles.add(im);
            labels.add("seed " + im.seed() + "  " + r.scores(i).overall().text());
            var s = r.scores(i).overall();
            csv.append(rank + 1).append(',').append(im.seed()).append(',').append(s.present() ? s.value().toString() : "")
                    .append(',').append(Csv.quote(s.present() ? "" : s.reason())).append(',').append(Csv.quote(png.getFileName().toString()))
                    .append('\n');
        }
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", "InstantID for Fiji");
        text.put("instantid-montage", String.join("\n", labels));
        Path montage = dir.resolve("montage.png");
        Png.write(montage, Montage.of(tiles, labels), text);
        Png.writeAtomically(dir.resolve("ranking.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        int best = order.get(0);
        Path bestJson = dir.resolve("best.json");
        Png.writeAtomically(bestJson, r.settingsJson(best).getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + montage + " (best first) and " + dir.resolve("ranking.csv"));
        System.out.println("best: seed " + r.images().get(best).seed() + ", identity score " + r.scores(best).text()
                + "; reproduce it with: java -jar instantid.jar generate --settings " + bestJson + " --out best.png");
    }
}
