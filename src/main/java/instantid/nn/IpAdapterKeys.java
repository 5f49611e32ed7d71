package instantid.nn;

import instantid.io.TensorSource;
import instantid.io.WeightFileException;
import instantid.tensor.Weights;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the {@code ip_adapter} part of InstantID's {@code ip-adapter.bin} onto the UNet's
 * parameters. Its keys are {@code N.to_k_ip.weight} / {@code N.to_v_ip.weight}, N indexing the
 * UNet's attention processors in diffusers' registration order
 * ({@link UNetConfig#attentionProcessorOrder()}); processor {@code X.attnK.processor} becomes the
 * internal names {@code X.attnK.to_k_ip.weight} / {@code X.attnK.to_v_ip.weight}, read by
 * {@link Attention}.
 */
public final class IpAdapterKeys {

    private static final Pattern KEY = Pattern.compile("(?:ip_adapter\\.)?(\\d+)\\.(to_[kv]_ip\\.weight)");

    private IpAdapterKeys() {
    }

    /** The internal name of one ip-adapter key, or null when the key is not an IP layer. */
    public static String internalName(String key, List<String> processorOrder) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) return null;
        int n = Integer.parseInt(m.group(1));
        if (n >= processorOrder.size()) return "";
        String p = processorOrder.get(n);
        return p.substring(0, p.length() - "processor".length()) + m.group(2);
    }

    /**
     * Registers every {@code N.to_k_ip/to_v_ip} tensor of {@code src} in {@code unet}. Checks that
     * each index names a cross-attention processor of this config and that the weight's output
     * width equals the attention's {@code to_k} output width.
     *
     * @return how many tensors were mapped
     */
    public static int map(Weights unet, TensorSource src, UNetConfig config) {
        return map(unet, unet, src, config);
    }

    /**
     * As {@link #map(Weights, TensorSource, UNetConfig)}, registering the tensors in {@code target}
     * (an image-prompt adapter's own weights, see {@link IpImageTokens}) while checking their
     * shapes against {@code unet}: several adapters then live beside each other, each freed with
     * its own weights.
     */
    public static int map(Weights target, Weights unet, TensorSource src, UNetConfig config) {
        List<String> order = config.attentionProcessorOrder();
        int mapped = 0;
        for (String key : src.names()) {
            String name = internalName(key, order);
            if (name == null) continue;
            if (name.isEmpty()) {
                throw WeightFileException.of(src.path(), key, "index beyond the UNet's " + order.size()
                        + " attention processors: this IP-adapter was made for a different UNet");
            }
            if (!name.contains(".attn2.")) {
                throw WeightFileException.of(src.path(), key, "index points at a self-attention (" + name
                        + "): this IP-adapter was made for a different UNet");
            }
            String toK = name.substring(0, name.lastIndexOf(".attn2.")) + ".attn2.to_k.weight";
            long[] s = src.info(key).shape();
            if (unet.has(toK) && (s.length != 2 || s[0] != unet.shape(toK).get(0) || s[1] != unet.shape(toK).get(1))) {
                throw WeightFileException.of(src.path(), key, "shape " + java.util.Arrays.toString(s)
                        + " does not fit " + toK + " " + unet.shape(toK) + ": IP-adapter and UNet do not match");
            }
            target.map(name, src, key);
            mapped++;
        }
        if (mapped == 0) {
            throw WeightFileException.of(src.path(), null, "no 'N.to_k_ip.weight' tensors: not the ip_adapter part of an IP-adapter");
        }
        return mapped;
    }
}
