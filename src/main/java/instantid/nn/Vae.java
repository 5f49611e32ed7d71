package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.common.CancelToken;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * diffusers' {@code AutoencoderKL}: {@link #decode} (post_quant_conv → decoder) and {@link #encode}
 * (encoder → quant_conv → diagonal Gaussian posterior), optionally tiled with blended seams
 * ({@link Tiling}). With {@code force_upcast} (SDXL) both run in float32 whatever the dtype of the
 * weights given: a float32 copy of the weights is read from the files once and owned by this VAE.
 * Results belong to the manager of the input; every intermediate is closed before returning.
 */
public final class Vae implements AutoCloseable {

    /** The latent posterior: mean and std = exp(0.5 * clamp(logvar, -30, 20)), [B, latent, h, w]. */
    public record Posterior(NDArray mean, NDArray std) implements AutoCloseable {
        /** mean + std * noise (noise of the posterior's shape), as {@code latent_dist.sample()}. */
        public NDArray sample(NDArray noise) {
            return noise.mul(std).add(mean);
        }

        @Override
        public void close() {
            mean.close();
            std.close();
        }
    }

    /**
     * Tiled processing as diffusers' {@code enable_tiling}: square tiles of {@code tileLatent}
     * latent pixels ({@code tileLatent * 8} image pixels), overlapping by {@code overlap} of a tile
     * and cross-faded over that overlap. Used only for inputs larger than one tile.
     */
    public record Tiling(int tileLatent, double overlap) {
        public Tiling {
            if (tileLatent < 2) throw new IllegalArgumentException("VAE tile size " + tileLatent + " latent pixels: use at least 2");
            if (!(overlap >= 0 && overlap < 1)) throw new IllegalArgumentException("VAE tile overlap " + overlap + ": use 0 <= overlap < 1");
        }

        /** diffusers' defaults: a tile of the VAE's training size, overlap 0.25. */
        public static Tiling defaults(VaeConfig cfg) {
            return new Tiling(Math.max(2, cfg.sampleSize() / cfg.scaleFactor()), 0.25);
        }
    }

    private final VaeConfig cfg;
    private final Weights w;
    private final boolean ownsWeights;
    private volatile Tiling tiling;

    /** A VAE over {@code weights} (diffusers names); with force_upcast, float32 weights are used. */
    public Vae(VaeConfig cfg, Weights weights) {
        this.cfg = cfg;
        this.ownsWeights = cfg.forceUpcast() && weights.dtype() != DataType.FLOAT32;
        this.w = ownsWeights ? weights.withDType(DataType.FLOAT32) : weights;
    }

    public static Vae fromWeights(Weights weights) {
        return new Vae(VaeConfig.fromWeights(weights), weights);
    }

    /** The weights decode and encode use (float32 under force_upcast). */
    public Weights weights() {
        return w;
    }

    public VaeConfig config() {
        return cfg;
    }

    /** The dtype decode and encode compute (and return) in. */
    public DataType computeDType() {
        return w.dtype();
    }

    /** Turns tiling on (for inputs larger than a tile) or off (null), as diffusers' enable_tiling. */
    public void setTiling(Tiling t) {
        this.tiling = t;
    }

    public Tiling tiling() {
        return tiling;
    }

    /** The latents the UNet works on → the decoder's input: {@code z / scaling_factor + shift_factor}. */
    public NDArray unscale(NDArray latents) {
        NDArray z = latents.div((float) cfg.scalingFactor());
        return cfg.shiftFactor() == 0 ? z : z.add((float) cfg.shiftFactor());
    }

    /** Decodes latents already divided by scaling_factor, with this VAE's tiling setting. */
    public NDArray decode(NDArray latents, CancelToken cancel) {
        return decode(latents, tiling, cancel);
    }

    /**
     * Decodes [B, latent, h, w] → [B, out, 8h, 8w] (values about -1..1), tiled when {@code t} says so
     * ({@code cancel} checked between tiles).
     */
    public NDArray decode(NDArray latents, Tiling t, CancelToken cancel) {
        checkChannels(latents, cfg.latentChannels(), "latents");
        NDManager owner = latents.getManager();
        try (Scope s = new Scope()) {
            NDArray z = latents.toType(w.dtype(), false);
            NDArray out;
            if (t != null && (z.getShape().get(2) > t.tileLatent() || z.getShape().get(3) > t.tileLatent())) {
                int f = cfg.scaleFactor();
                int tileSample = t.tileLatent() * f;
                int blend = (int) (tileSample * t.overlap());
                out = VaeTiles.run(z, t.tileLatent(), (int) (t.tileLatent() * (1 - t.overlap())), blend,
                        tileSample - blend, this::decodeTile, cancel);
            } else {
                out = decodeTile(z);
            }
            out.attach(owner);
            return s.keep(out);
        }
    }

    /** Encodes pixels in -1..1 [B, in, H, W] → the posterior, tiled when this VAE's tiling says so. */
    public Posterior encode(NDArray pixels, CancelToken cancel) {
        return encode(pixels, tiling, cancel);
    }

    public Posterior encode(NDArray pixels, Tiling t, CancelToken cancel) {
        checkChannels(pixels, cfg.inChannels(), "pixels");
        NDManager owner = pixels.getManager();
        try (Scope s = new Scope()) {
            NDArray x = pixels.toType(w.dtype(), false);
            int f = cfg.scaleFactor();
            NDArray moments;
            if (t != null && (x.getShape().get(2) > t.tileLatent() * f || x.getShape().get(3) > t.tileLatent() * f)) {
                int tileSample = t.tileLatent() * f;
                int blend = (int) (t.tileLatent() * t.overlap());
                moments = VaeTiles.run(x, tileSample, (int) (tileSample * (1 - t.overlap())), blend,
                        t.tileLatent() - blend, this::encodeTile, cancel);
            } else {
                moments = encodeTile(x);
            }
            long c = moments.getShape().get(1) / 2;
            NDArray mean = moments.get(":, :{}", c);
            NDArray logvar = moments.get(":, {}:", c).clip(-30f, 20f);
            NDArray std = logvar.mul(0.5f).exp();
            mean.attach(owner);
            std.attach(owner);
            return new Posterior(s.keep(mean), s.keep(std));
        }
    }

    private NDArray decodeTile(NDArray z) {
        if (cfg.usePostQuantConv()) z = Ops.conv2d(z, w, "post_quant_conv", 1);
        return VaeCoder.decode(z, w.sub("decoder."), cfg);
    }

    private NDArray encodeTile(NDArray x) {
        NDArray m = VaeCoder.encode(x, w.sub("encoder."), cfg);
        return cfg.useQuantConv() ? Ops.conv2d(m, w, "quant_conv", 1) : m;
    }

    private static void checkChannels(NDArray x, int c, String what) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != c) {
            throw new IllegalArgumentException("VAE " + what + " must be [batch, " + c + ", height, width], got " + s);
        }
    }

    /** Closes the float32 weight copy this VAE made for force_upcast (the given weights stay open). */
    @Override
    public void close() {
        if (ownsWeights) w.close();
    }
}
