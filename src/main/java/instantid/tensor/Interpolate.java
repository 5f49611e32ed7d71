package instantid.tensor;

import ai.djl.ndarray.NDArray;

/**
 * torch's {@code F.interpolate} on [B, C, H, W] arrays to a given size (no corner alignment), the
 * one place that knows DJL's internal mode numbers: {@code NDArrayEx.interpolation} takes
 * 0 nearest, 1 bilinear, 2 area, 3 bicubic (PtNDArrayEx.getInterpolationMode, which renumbers them
 * for the JNI's own 0 nearest … 5 area); anything else throws.
 */
public enum Interpolate {
    /** {@code mode="nearest"}: source index {@code floor(dst * in / out)}. */
    NEAREST(0),
    /** {@code mode="bilinear", align_corners=False}, without antialiasing. */
    BILINEAR(1),
    /** {@code mode="area"}: adaptive average pooling, each output the mean of the source cells it covers. */
    AREA(2);

    private final int djlMode;

    Interpolate(int djlMode) {
        this.djlMode = djlMode;
    }

    /** {@code x} resized to {@code hw} = {height, width}; a new array in {@code x}'s manager. */
    public NDArray apply(NDArray x, long[] hw) {
        if (x.getShape().dimension() != 4) {
            throw new IllegalArgumentException("interpolate expects [B, C, H, W], got " + x.getShape());
        }
        return x.getNDArrayInternal().interpolation(hw, djlMode, false);
    }
}
