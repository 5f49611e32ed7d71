package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.nn.ControlNet;
import instantid.nn.UNetExtras;
import instantid.sample.Denoiser;

import java.util.ArrayList;
import java.util.List;

/**
 * One InstantID step, as the official pipeline's loop body: inside the control window
 * ({@code control_guidance_start..end} of the steps) each identity's IdentityNet pass on its
 * keypoint drawing with its ID tokens as context, times its IdentityNet scale, masked to its region
 * (several identities) or to the face box (enhance non-face region); the residuals summed and added
 * to the UNet's skips; the UNet attends text and, through the IP context, the ID tokens; then CFG.
 * Everything it needs is fixed for the run and held here.
 */
final class InstantIdDenoiser implements Denoiser {

    /** What one identity brings to every step. */
    record Pass(NDArray tokens, NDArray keypointImage, float identityNetScale, Region region) {
    }

    private final SdxlDenoiser unet;
    private final ControlNet identityNet;
    private final List<Pass> passes;
    private final double controlStart;
    private final double controlEnd;
    private final int steps;
    private final boolean masked;
    private final float[] faceBox;
    private final int width;
    private final int height;

    /**
     * @param unet         the text- and IP-conditioned UNet of this image
     * @param passes       one per identity, in request order
     * @param steps        the sampler's step count (the control window is a fraction of it)
     * @param masked       whether each identity's residuals are confined to its region
     * @param faceBox      the face box that confines them instead (enhance non-face region), or null
     */
    InstantIdDenoiser(SdxlDenoiser unet, ControlNet identityNet, List<Pass> passes, double controlStart,
                      double controlEnd, int steps, boolean masked, float[] faceBox, int width, int height) {
        this.unet = unet;
        this.identityNet = identityNet;
        this.passes = List.copyOf(passes);
        this.controlStart = controlStart;
        this.controlEnd = controlEnd;
        this.steps = steps;
        this.masked = masked;
        this.faceBox = faceBox == null ? null : faceBox.clone();
        this.width = width;
        this.height = height;
    }

    @Override
    public NDArray predict(NDArray x, float t, int i) {
        NDArray in = unet.batch(x);
        NDArray ts = unet.timestep(t);
        boolean keep = inControlWindow(i);
        ControlNet.Residuals res = null;
        for (Pass p : passes) {
            float scale = keep ? p.identityNetScale() : 0f;
            if (scale == 0f) continue; // the reference adds residuals times 0: nothing
            ControlNet.Residuals rk = identityNet.forward(in, ts, p.tokens(), p.keypointImage(), scale,
                    unet.conditioning().pooled(), unet.timeIds());
            if (masked) rk = maskResiduals(rk, p.region());
            if (faceBox != null) rk = FaceRegionMask.apply(rk, faceBox, width, height);
            res = res == null ? rk : res.plus(rk);
        }
        UNetExtras extras = unet.extras();
        if (res != null) extras = extras.withControl(res);
        return unet.predict(in, ts, extras);
    }

    /** Whether step {@code i} lies inside control_guidance_start..end (diffusers' controlnet_keep). */
    boolean inControlWindow(int i) {
        return !((double) i / steps < controlStart || (double) (i + 1) / steps > controlEnd);
    }

    private ControlNet.Residuals maskResiduals(ControlNet.Residuals r, Region region) {
        List<NDArray> down = new ArrayList<>();
        for (NDArray a : r.down()) down.add(a.mul(controlMask(a, region)));
        return new ControlNet.Residuals(down, r.mid().mul(controlMask(r.mid(), region)));
    }

    private NDArray controlMask(NDArray residual, Region reg) {
        int gh = (int) residual.getShape().get(2), gw = (int) residual.getShape().get(3);
        float[] mk = Regions.mask(reg, width, height, gw, gh, Regions.controlGrow(reg, width, height));
        return residual.getManager().create(mk, new Shape(1, 1, gh, gw)).toType(residual.getDataType(), false);
    }
}
