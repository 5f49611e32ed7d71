package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Interpolate;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

/** diffusers' {@code Downsample2D} / {@code Upsample2D} (the conv variants SDXL uses). */
public final class Resample {

    private Resample() {
    }

    /**
     * Stride-2 3x3 conv {@code conv}. {@code asymmetricPad} is the VAE encoder's variant
     * (padding 0 after padding right and bottom by one zero); the UNet pads 1 on every side.
     */
    public static NDArray down(NDArray x, Weights w, boolean asymmetricPad) {
        NDArray k = w.get("conv.weight");
        if (!asymmetricPad) {
            return Ops.conv2d(x, k, w.opt("conv.bias"), 2, 1);
        }
        Shape s = x.getShape();
        NDArray padded = x.concat(x.getManager().zeros(new Shape(s.get(0), s.get(1), s.get(2), 1), x.getDataType()), 3);
        padded = padded.concat(x.getManager().zeros(new Shape(s.get(0), s.get(1), 1, s.get(3) + 1), x.getDataType()), 2);
        return Ops.conv2d(padded, k, w.opt("conv.bias"), 2, 0);
    }

    /** Nearest-neighbour upsampling to {@code h x w} (2x when null), then the 3x3 conv {@code conv}. */
    public static NDArray up(NDArray x, Weights w, long[] size) {
        Shape s = x.getShape();
        long[] target = size != null ? size : new long[] {s.get(2) * 2, s.get(3) * 2};
        NDArray u = nearest(x, target);
        NDArray out = Ops.conv2d(u, w, "conv", 1);
        u.close(); // 4x the input: not held until the caller's scope ends
        return out;
    }

    /** Nearest-neighbour resize of [B, C, H, W] (torch's {@code interpolate(mode="nearest")}). */
    public static NDArray nearest(NDArray x, long[] hw) {
        return Interpolate.NEAREST.apply(x, hw);
    }
}
