package instantid.nn;

import ai.djl.ndarray.NDArray;

/**
 * Sees, in every cross-attention layer that has an IP path, the two parts that are summed before
 * {@code to_out}: the text attention output and the identities' combined IP contribution
 * ({@code Σ_k s_k · b(module) · mask_k ⊙ attn(q, to_k_ip(ip_k), to_v_ip(ip_k))}), both
 * {@code [B, h*w, C]}. {@code ip} is null when no identity acted in this layer (every effective
 * scale 0). The arrays are only valid during the call: copy what you keep.
 */
@FunctionalInterface
public interface IpRecorder {

    void record(String module, NDArray text, NDArray ip, long h, long w);
}
