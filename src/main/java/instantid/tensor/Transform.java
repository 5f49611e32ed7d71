package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

import java.util.Arrays;

/**
 * How a file tensor becomes an internal parameter when layouts differ by more than a name:
 * OpenCLIP's fused {@code in_proj_weight} split into q/k/v rows, its {@code text_projection}
 * transposed into a Linear weight, the SGM VAE's 1x1 convs squeezed into Linear weights.
 * {@link #shape} gives the result shape without loading anything (key-map tests on real sizes).
 */
public interface Transform {

    long[] shape(long[] src);

    NDArray apply(NDArray a);

    Transform NONE = new Transform() {
        public long[] shape(long[] s) { return s; }
        public NDArray apply(NDArray a) { return a; }
        public String toString() { return "as is"; }
    };

    /** 2-D transpose. */
    Transform TRANSPOSE = new Transform() {
        public long[] shape(long[] s) { return new long[] {s[1], s[0]}; }
        public NDArray apply(NDArray a) { return a.transpose(); }
        public String toString() { return "transposed"; }
    };

    /** Part {@code part} of {@code parts} equal slices along axis 0. */
    static Transform rows(int part, int parts) {
        return new Transform() {
            public long[] shape(long[] s) {
                long[] o = s.clone();
                o[0] = s[0] / parts;
                return o;
            }
            public NDArray apply(NDArray a) {
                long n = a.getShape().get(0) / parts;
                return a.get(new NDIndex("{}:{}", part * n, (part + 1) * n));
            }
            public String toString() { return "rows " + part + "/" + parts; }
        };
    }

    /** Drops trailing size-1 axes (a [C, C, 1, 1] conv kernel as a [C, C] Linear weight). */
    Transform SQUEEZE_TRAILING = new Transform() {
        public long[] shape(long[] s) {
            int n = s.length;
            while (n > 1 && s[n - 1] == 1) n--;
            return Arrays.copyOf(s, n);
        }
        public NDArray apply(NDArray a) { return a.reshape(shape(a.getShape().getShape())); }
        public String toString() { return "squeezed"; }
    };
}
