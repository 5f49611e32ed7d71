package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import instantid.common.CancelToken;
import instantid.tensor.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * diffusers' tiled VAE ({@code tiled_decode} / {@code _tiled_encode}): the input is cut into
 * overlapping square tiles, each runs through the network alone, and every tile's first
 * {@code blend} rows / columns are linearly cross-faded with the end of its upper / left neighbour
 * (after that neighbour was itself blended) before the tiles are cropped to {@code rowLimit} and
 * joined. Memory per tile is that of a tile-sized image.
 */
final class VaeTiles {

    private VaeTiles() {
    }

    /**
     * @param x        [B, C, H, W] input
     * @param tileIn   tile side in input pixels
     * @param strideIn step between tile origins in input pixels
     * @param blend    overlap cross-faded, in output pixels
     * @param rowLimit output pixels kept per tile
     * @param fn       the network for one tile
     * @param cancel   checked before every tile
     */
    static NDArray run(NDArray x, int tileIn, int strideIn, int blend, int rowLimit, UnaryOperator<NDArray> fn,
                       CancelToken cancel) {
        if (strideIn <= 0 || rowLimit <= 0) {
            throw new IllegalArgumentException("VAE tiling: tile " + tileIn + " with this overlap leaves no stride");
        }
        Shape s = x.getShape();
        long h = s.get(2), w = s.get(3);
        List<List<NDArray>> rows = new ArrayList<>();
        try (Scope scope = new Scope()) {
            for (long i = 0; i < h; i += strideIn) {
                List<NDArray> row = new ArrayList<>();
                for (long j = 0; j < w; j += strideIn) {
                    cancel.check();
                    try (Scope t = new Scope()) {
                        NDArray tile = x.get(new NDIndex(":, :, {}:{}, {}:{}", i, Math.min(h, i + tileIn), j, Math.min(w, j + tileIn)));
                        row.add(t.keep(fn.apply(tile)));
                    }
                }
                rows.add(row);
            }
            NDList joinedRows = new NDList();
            for (int i = 0; i < rows.size(); i++) {
                NDList cropped = new NDList();
                for (int j = 0; j < rows.get(i).size(); j++) {
                    NDArray tile = rows.get(i).get(j);
                    if (i > 0) tile = blend(rows.get(i - 1).get(j), tile, blend, 2);
                    if (j > 0) tile = blend(rows.get(i).get(j - 1), tile, blend, 3);
                    rows.get(i).set(j, tile);
                    cropped.add(tile.get(new NDIndex(":, :, :{}, :{}", rowLimit, rowLimit)));
                }
                joinedRows.add(NDArrays.concat(cropped, 3));
            }
            return scope.keep(NDArrays.concat(joinedRows, 2));
        }
    }

    /**
     * {@code b}'s first {@code extent} rows (axis 2) or columns (axis 3) become
     * {@code a[end - extent + y] * (1 - y / extent) + b[y] * (y / extent)}.
     */
    static NDArray blend(NDArray a, NDArray b, int extent, int axis) {
        int e = (int) Math.min(Math.min(a.getShape().get(axis), b.getShape().get(axis)), extent);
        if (e <= 0) return b;
        float[] ramp = new float[e];
        for (int y = 0; y < e; y++) ramp[y] = (float) y / e;
        long[] rs = {1, 1, 1, 1};
        rs[axis] = e;
        NDArray wB = b.getManager().create(ramp, new Shape(rs)).toType(b.getDataType(), false);
        long na = a.getShape().get(axis);
        String head = axis == 2 ? ":, :, :{}, :" : ":, :, :, :{}";
        String tailA = axis == 2 ? ":, :, {}:, :" : ":, :, :, {}:";
        String rest = axis == 2 ? ":, :, {}:, :" : ":, :, :, {}:";
        NDArray bHead = b.get(new NDIndex(head, e));
        NDArray aTail = a.get(new NDIndex(tailA, na - e));
        NDArray mixed = bHead.mul(wB).add(aTail.mul(wB.neg().add(1f)));
        return mixed.concat(b.get(new NDIndex(rest, e)), axis);
    }
}
