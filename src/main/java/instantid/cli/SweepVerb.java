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
import instantid.sample.Seeds;

/**
 * {@code sweep}: one generate request with several seeds, ranked by identity score. Writes under
 * {@code --out-dir}: {@code seed-S.png} + {@code .json} per seed, {@code montage.png} (tiles best
 * first, each labelled with seed and score), {@code ranking.csv}, and {@code best.json}: the best
 * image's settings, which {@code generate --settings best.json} reproduces.
 */
public final class SweepVerb implements Verb {

    /** generate's options but --out / --num-images, which the seed list and --out-dir replace. */
    private static List<OptionSpec> fromGenerate() {
        List<OptionSpec> l = new ArrayList<>();
        for (OptionSpec s : GenerateVerb.OPTIONS.specs()) if (!s.name().equals("out") && !s.name().equals("num-images")) l.add(s);
        return l;
    }

    static final Options OPTIONS = Options.of("sweep",
            "One generate request with several seeds, ranked by identity score: seed-S.png + .json per seed, "
                    + "montage.png (best first, labelled with seed and score), ranking.csv and best.json "
                    + "(generate --settings best.json reproduces the best).",
            Help.JAR + " sweep --models demo/sdxl --face-models demo/faces --face examples/portrait.png"
                    + " --prompt \"analog film photo of a man\" --size 128x128 --steps 4 --seed 42 --count 8 --out-dir out/sweep",
            fromGenerate(),
            OptionSpec.path("out-dir", "DIR", "sweep", "folder for the images, the montage, ranking.csv and best.json"),
            OptionSpec.integer("count", 4, 1, 1000, "how many seeds, consecutive from --seed (random when -1)"),
            OptionSpec.text("seeds", "S1,S2,...", null, "exactly these seeds instead of --count").check(SweepVerb::parseSeeds));

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        Path dir = a.path("out-dir");
        List<Long> seeds = seeds(a);
        GenerateVerb.Checked checked = GenerateVerb.checked(a);
        checkOutputs(dir, seeds, a.flag("overwrite"), a.flag("id-map"));
        ModelPaths paths = CliModels.paths(a);
        String missing = paths.missingForInstantId();
        if (missing != null) throw new UsageException(missing + CliModels.hint(a));
        if (paths.faceModels() == null) {
            throw new UsageException("sweep ranks seeds by identity score: give --face-models DIR (the insightface models)");
        }
        RuntimeOptions rt = new RuntimeOptions(a.get("device"), a.get("dtype"), a.get("memory"));
        try (FaceAnalysis fa = Scoring.open(paths)) {
            InstantIdRequest request = GenerateVerb.request(a, checked, paths, fa);
            CliProgress progress = new CliProgress(seeds.size());
            progress.loading("InstantID", paths);
            try (InstantIdPipeline p = InstantIdPipeline.load(paths, rt, progress)) {
                progress.loaded(p.deviceDescription());
                Result r = SeedSweep.run(p, request, seeds, new IdentityScorer(fa, Scoring.options(a)), progress,
                        a.flag("id-map"));
                write(dir, r, a.flag("overwrite"));
            }
        }
        return 0;
    }

    /** Every file the sweep will write, checked before anything loads (existing ones need --overwrite). */
    private static void checkOutputs(Path dir, List<Long> seeds, boolean overwrite, boolean idMaps) {
        for (long s : seeds) OutputTarget.check(dir.resolve("seed-" + s + ".png"), 1, overwrite, idMaps);
        OutputTarget.check(dir.resolve("montage.png"), 1, overwrite);
        for (String f : List.of("ranking.csv", "best.json")) {
            Path p = dir.resolve(f);
            if (java.nio.file.Files.exists(p) && !overwrite) {
                throw new UsageException("--out-dir: " + p + " already exists; add --overwrite to replace it, or choose another folder");
            }
        }
    }

    /** The --seeds check of the parser: distinct whole numbers in the seed range. */
    static List<Long> parseSeeds(String text) {
        List<Long> s = new ArrayList<>();
        for (String p : text.split("[,\\s]+")) {
            if (p.isEmpty()) continue;
            long v;
            try {
                v = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a whole number");
            }
            if (!Seeds.valid(v)) throw new IllegalArgumentException(p + " is out of range (0.." + Seeds.MAX + ")");
            s.add(v);
        }
        if (s.isEmpty() || new HashSet<>(s).size() != s.size()) {
            throw new IllegalArgumentException("expects distinct whole numbers, e.g. 1,2,3");
        }
        return s;
    }

    static List<Long> seeds(Args a) {
        if (a.has("seeds")) {
            if (a.has("count")) throw new UsageException("give --seeds LIST or --count N, not both");
            return parseSeeds(a.get("seeds"));
        }
        long first = a.longValue("seed");
        return SeedSweep.seeds(first >= 0 ? first : Seeds.randomFirst(a.integer("count")), a.integer("count"));
    }

    /** The per-seed files, the montage, the ranking and best.json; prints one line per seed and how to reproduce the best. */
    static void write(Path dir, Result r, boolean overwrite) throws Exception {
        List<Integer> order = SeedSweep.ranking(r);
        List<Image> tiles = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        StringBuilder csv = new StringBuilder("rank,seed,identity_score,identity_score_reason,file\n");
        for (int rank = 0; rank < order.size(); rank++) {
            int i = order.get(rank);
            Image im = r.images().get(i);
            Path png = dir.resolve("seed-" + im.seed() + ".png");
            OutputTarget.check(png, 1, overwrite, r.idMap(i) != null).writeOne(r, i);
            System.out.println(OutputTarget.line(png, r, i));
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
