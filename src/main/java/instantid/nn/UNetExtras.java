package instantid.nn;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * Optional inputs of one {@link UNet} call besides latent, timestep and text: ControlNet
 * (IdentityNet) residuals added to the skip states and the mid block output as diffusers does, and
 * the IP-adapter context. Any field may be null.
 *
 * @param downResiduals one per skip state (conv_in output, every down resnet/attention, every
 *                      downsampler), already scaled by the conditioning scale
 * @param midResidual   added to the mid block's output
 * @param ip            ID tokens, scales and regions for the decoupled cross-attention
 */
public record UNetExtras(List<NDArray> downResiduals, NDArray midResidual, IpContext ip) {

    public static final UNetExtras NONE = new UNetExtras(null, null, null);

    public UNetExtras {
        if (downResiduals != null) downResiduals = List.copyOf(downResiduals);
    }

    public static UNetExtras ip(IpContext ip) {
        return new UNetExtras(null, null, ip);
    }

    public UNetExtras withControl(ControlNet.Residuals r) {
        return r == null ? new UNetExtras(null, null, ip) : new UNetExtras(r.down(), r.mid(), ip);
    }

    public UNetExtras withIp(IpContext newIp) {
        return new UNetExtras(downResiduals, midResidual, newIp);
    }
}
