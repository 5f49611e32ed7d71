package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SDXL's micro-conditioning {@code add_time_ids}: original size (h, w), crop top-left (0, 0),
 * target size (h, w) — the pipeline defaults, original = target = the generated size.
 */
final class TimeIds {

    private TimeIds() {
    }

    static NDArray of(NDManager m, int height, int width, int batch) {
        float[] one = {height, width, 0, 0, height, width};
        float[] all = new float[6 * batch];
        for (int b = 0; b < batch; b++) System.arraycopy(one, 0, all, b * 6, 6);
        return m.create(all, new Shape(batch, 6));
    }
}
