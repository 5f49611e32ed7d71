package instantid.cli;

import instantid.pipeline.IdMap;
import instantid.pipeline.Image;
import instantid.pipeline.Png;
import instantid.pipeline.Result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a result: {@code FILE.png} (or {@code FILE-1.png, FILE-2.png ...} for several images),
 * each PNG carrying the settings (and identity score) in text chunks, and a {@code .json} beside
 * each repeating them with that image's seed and score; with ID-attention maps, a grey
 * {@code FILE-idmap.png} beside each. Written atomically: no half-written file under a final name.
 */
final class Outputs {

    private Outputs() {
    }

    static List<Path> write(Path out, Result r) throws IOException {
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        List<Path> written = new ArrayList<>();
        List<Image> images = r.images();
        for (int i = 0; i < images.size(); i++) {
            String s = images.size() == 1 ? stem : stem + "-" + (i + 1);
            Path png = out.resolveSibling(s + ".png");
            writeOne(png, r, i);
            written.add(png);
        }
        return written;
    }

    /** Image {@code i} of {@code r} as {@code png}, its settings as the {@code .json} beside it, its ID map if any. */
    static void writeOne(Path png, Result r, int i) throws IOException {
        String s = png.getFileName().toString().replaceAll("(?i)\\.png$", "");
        Png.write(png, r.images().get(i), r.pngText(i));
        Png.writeAtomically(png.resolveSibling(s + ".json"), r.settingsJson(i).getBytes(StandardCharsets.UTF_8));
        IdMap m = r.idMap(i);
        if (m != null) {
            byte[] g = m.grey8(), rgb = new byte[g.length * 3];
            for (int p = 0; p < g.length; p++) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = g[p];
            Png.write(png.resolveSibling(s + "-idmap.png"), new Image(m.width(), m.height(), rgb, r.images().get(i).seed()),
                    Map.of("Software", "InstantID for Fiji", "instantid-idmap",
                            "ID-attention share |ip|/(|text|+|ip|), 0..1 as 0..255; mean over " + m.steps()
                                    + " steps and " + m.layers() + " layers"));
        }
    }

    /** The line printed for one written image: file, settings file, identity score. */
    static String line(Path png, Result r, int i) {
        String json = png.toString().replaceAll("(?i)\\.png$", ".json");
        String score = r.scored() ? ", identity score " + r.scores(i).text() : "";
        return "wrote " + png + " (settings in " + json + score + ")";
    }
}
