package instantid.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A seed sweep: one request run with several seeds (one image each), every image scored by
 * identity, ranked best first. The CLI's {@code sweep} verb and Fiji's "Seed Sweep" share it.
 */
public final class SeedSweep {

    private SeedSweep() {
    }

    /** {@code count} consecutive seeds from {@code first}. */
    public static List<Long> seeds(long first, int count) {
        if (count < 1) throw new IllegalArgumentException("a sweep needs at least one seed, got " + count);
        List<Long> s = new ArrayList<>();
        for (int i = 0; i < count; i++) s.add(first + i);
        return s;
    }

    /** The request for one seed: the same settings (prompt encoder, enhance face region included), one image. */
    public static InstantIdRequest forSeed(InstantIdRequest r, long seed) {
        GenerationSettings g = r.generation();
        GenerationSettings one = new GenerationSettings(g.prompt(), g.negativePrompt(), g.steps(), g.guidance(), g.width(),
                g.height(), seed, g.sampler(), 1, g.loras(), g.promptEncoder());
        return r.withGeneration(one);
    }

    /**
     * Runs every seed (cancellable between steps) and scores each image: one result holding the
     * images in seed order with their scores ({@link Result#settingsJson(int)} is each one's settings).
     */
    public static Result run(InstantIdPipeline p, InstantIdRequest request, List<Long> seeds, IdentityScorer scorer,
                             Progress progress) {
        return run(p, request, seeds, scorer, progress, false);
    }

    /** As above; with {@code idMaps} every image also gets its ID-attention map. */
    public static Result run(InstantIdPipeline p, InstantIdRequest request, List<Long> seeds, IdentityScorer scorer,
                             Progress progress, boolean idMaps) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("a sweep needs at least one seed");
        List<Image> images = new ArrayList<>();
        List<IdentityScores> scores = new ArrayList<>();
        List<IdMap> maps = new ArrayList<>();
        String settings = null;
        for (int k = 0; k < seeds.size(); k++) {
            progress.status("seed " + seeds.get(k) + " (" + (k + 1) + " of " + seeds.size() + ")");
            InstantIdRequest one = forSeed(request, seeds.get(k));
            Result r = scorer.score(p.generate(one, progress, idMaps), one);
            if (idMaps) maps.add(r.idMap(0));
            if (settings == null) settings = r.settingsJson();
            images.add(r.images().get(0));
            scores.add(r.scores(0));
        }
        return new Result(images, settings, scores, maps);
    }

    /** Indices of the result's images, best identity score first; images without a score last; ties by seed. */
    public static List<Integer> ranking(Result r) {
        if (!r.scored()) throw new IllegalArgumentException("a ranking needs scored images");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < r.images().size(); i++) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(i -> -r.scores(i).rankValue())
                .thenComparingLong(i -> r.images().get(i).seed()));
        return order;
    }
}
