package instantid.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.MontageMaker;

import instantid.pipeline.IdentityScorer;
import instantid.pipeline.Image;
import instantid.pipeline.Result;
import instantid.pipeline.SeedSweep;

import java.util.List;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Seed Sweep...: Generate from Face's inputs, run with "Images (how many)"
 * consecutive seeds from the seed, every image scored by identity. Output: an RGB stack sorted by
 * identity score (best first; slices labelled {@code seed=S score=X}) whose Info holds, first,
 * the best image's settings and the macro line that makes exactly it; and a montage of the
 * stack with the same labels; with "ID map", each slice's ID-attention overlay and the maps as a
 * 32-bit stack in the same order. The source is never modified.
 */
@Plugin(type = Command.class, headless = true, initializer = "init",
        description = "Generate from Face with several seeds, ranked by identity score (the ArcFace cosine of the source"
                + " face and each generated face): a stack best first and a montage; Info holds the best image's macro line.")
public class SeedSweepCommand extends GenerateFromFace {

    private ImagePlus montage;

    public ImagePlus montage() {
        return montage;
    }

    @Override
    protected void execute() {
        if (images < 2) images = 4; // a sweep of one seed ranks nothing: the default sweep is 4 seeds
        Prepared pr = prepare();
        int[] size = pr.size();
        List<Long> seeds = SeedSweep.seeds(pr.seed(), images);
        Result r;
        try (FijiProgress progress = new FijiProgress(this, events, preview, size[0], size[1], images)) {
            IdentityScorer scorer = new IdentityScorer(instantId.faces(),
                    instantid.face.DetectOptions.defaults().withThreshold((float) threshold));
            r = SeedSweep.run(instantId.pipeline(progress), pr.request(), seeds, scorer, progress, id_map);
        }
        if (isCanceled()) return;
        r = r.inOrder(SeedSweep.ranking(r)); // best first: slice k is image k, its score and its map
        int best = 0;
        long bestSeed = r.images().get(best).seed();
        ImageStack stack = new ImageStack(size[0], size[1]);
        StringBuilder info = new StringBuilder("Seed sweep, best first (identity score = ArcFace cosine, source vs. generated face)\n");
        info.append("Best: seed ").append(bestSeed).append(", score ").append(r.scores(best).text()).append('\n');
        info.append("Macro (makes exactly the best image):\n").append(bestMacro(bestSeed, size)).append("\n\n");
        for (int i = 0; i < r.images().size(); i++) {
            Image im = r.images().get(i);
            stack.addSlice(Images.label(r, i), Images.colorProcessor(im.width(), im.height(), im.rgb()));
            info.append("seed ").append(im.seed()).append(": ").append(r.scores(i).text()).append('\n');
        }
        info.append("\nSettings of the best image:\n").append(r.settingsJson(best)).append('\n');
        String title = Titles.unique("InstantID-sweep-" + stripExtension(image.getTitle()));
        ImagePlus out = new ImagePlus(title, stack);
        out.setProperty("Info", info.toString());
        out.setProp(Images.SETTINGS_PROPERTY, r.settingsJson(best));
        int n = r.images().size();
        int cols = (int) Math.ceil(Math.sqrt(n)), rows = (n + cols - 1) / cols;
        montage = new MontageMaker().makeMontage2(out, cols, rows, 1.0, 1, n, 1, 0, true);
        montage.setTitle(Titles.unique(title + "-montage"));
        montage.setProperty("Info", info.toString());
        ImagePlus map = id_map ? IdMapOverlay.add(out, r) : null; // the overlay per slice, before the montage is shown
        output = out;
        out.show();
        montage.show();
        if (map != null) map.show();
    }

    /** Generate from Face's macro line for one image of {@code seed}. */
    String bestMacro(long seed, int[] size) {
        return macroLine(MenuEntries.labelOf(GenerateFromFace.class), seed, size).put("images", 1).toString();
    }
}
