package instantid.parity;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import instantid.pipeline.KeypointImage;

import java.util.ArrayList;
import java.util.List;

/**
 * Kind {@code draw_kps}: for every pair {@code <p>_kps} [5, 2] / {@code <p>_image} [h, w, 3] of the
 * case, InstantID's keypoint image of that size must equal the reference byte for byte (within the
 * case's atol, which is 0), with the case's color_list and stickwidth.
 */
public final class DrawKpsCase implements CaseRunner {

    @Override
    public String kind() {
        return "draw_kps";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        int[][] colors = KeypointImage.DEFAULT_COLORS;
        JsonArray cl = c.array("color_list");
        if (cl.size() > 0) {
            colors = new int[cl.size()][3];
            for (int i = 0; i < cl.size(); i++) {
                for (int j = 0; j < 3; j++) colors[i][j] = cl.get(i).getAsJsonArray().get(j).getAsInt();
            }
        }
        int stick = (int) c.number("stickwidth", KeypointImage.DEFAULT_STICKWIDTH);
        List<String> prefixes = new ArrayList<>();
        for (String name : c.json.getAsJsonObject("tensors").keySet()) {
            if (name.endsWith("_kps") && c.has(name.substring(0, name.length() - 4) + "_image")) {
                prefixes.add(name.substring(0, name.length() - 4));
            }
        }
        if (prefixes.isEmpty()) return Outcome.fail("no <p>_kps / <p>_image pairs in the case");
        Report r = new Report(c);
        for (String p : prefixes) {
            long[] shape = c.shape(p + "_image");
            int h = (int) shape[0], w = (int) shape[1];
            byte[] img = KeypointImage.draw(w, h, KeypointImage.points(c.floats(p + "_kps")), colors, stick);
            float[] f = new float[img.length];
            for (int i = 0; i < img.length; i++) f[i] = img[i] & 0xff;
            r.check(p + "_image", f, c.atol, 0);
        }
        return r.outcome();
    }
}
