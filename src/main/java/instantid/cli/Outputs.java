package instantid.cli;

import instantid.pipeline.Image;
import instantid.pipeline.Png;
import instantid.pipeline.Result;
import instantid.pipeline.SettingsJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a result: {@code FILE.png} (or {@code FILE-1.png, FILE-2.png ...} for several images),
 * each PNG carrying the settings in a text chunk, and a {@code .json} beside each repeating them
 * with that image's seed. Written atomically: no half-written file under a final name.
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
            Image img = images.get(i);
            String s = images.size() == 1 ? stem : stem + "-" + (i + 1);
            Path png = out.resolveSibling(s + ".png");
            String json = withSeed(r.settingsJson(), img.seed());
            Png.write(png, img, SettingsJson.pngText(json));
            Png.writeAtomically(out.resolveSibling(s + ".json"), json.getBytes(StandardCharsets.UTF_8));
            written.add(png);
        }
        return written;
    }

    /** The settings with this image's own seed (several images use consecutive seeds). */
    static String withSeed(String json, long seed) {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        o.addProperty("seed", seed);
        return SettingsJson.toJson(o);
    }
}
