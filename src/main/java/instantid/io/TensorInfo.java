package instantid.io;

import java.util.Arrays;

/** Where one tensor lives in a file: its dtype, shape and byte range (relative to the data section). */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
