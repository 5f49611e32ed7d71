package instantid.lora;

import instantid.common.UserException;

import java.nio.file.Path;
import java.util.List;

/**
 * Tensors of LoRA-like files that this plugin does not apply, named by family, so that such a file
 * is refused with its kind instead of being applied in part (silently computing something else):
 * LyCORIS LoHa / LoKr / Tucker ({@code lora_mid}), full differences, OFT, norm layers, LoRA biases.
 */
final class LoraKinds {

    private record Family(String marker, String name) {
    }

    private static final List<Family> UNSUPPORTED = List.of(
            new Family("hada_", "a LyCORIS LoHa (Hadamard product, hada_w1_a/hada_w2_b keys)"),
            new Family("lokr_", "a LyCORIS LoKr (Kronecker product, lokr_w1/lokr_w2 keys)"),
            new Family(".lora_mid.", "a LyCORIS LoCon with Tucker decomposition (lora_mid keys)"),
            new Family(".diff_b", "a LyCORIS full weight difference (diff / diff_b keys)"),
            new Family(".diff", "a LyCORIS full weight difference (diff / diff_b keys)"),
            new Family("oft_", "an OFT / BOFT adapter (oft_blocks keys)"),
            new Family(".w_norm", "a LyCORIS adapter of norm layers (w_norm / b_norm keys)"),
            new Family(".b_norm", "a LyCORIS adapter of norm layers (w_norm / b_norm keys)"),
            new Family(".lora_B.bias", "a LoRA with bias terms (lora_B.bias keys)"),
            new Family(".lora_up.bias", "a LoRA with bias terms (lora_up.bias keys)"),
            new Family("lora_embedding_", "a LoRA of embedding layers (lora_embedding_A/B keys)"));

    private LoraKinds() {
    }

    /** The family of a key no plain LoRA / DoRA has, or null when the key is not of a known family. */
    static String family(String key) {
        for (Family f : UNSUPPORTED) if (key.contains(f.marker())) return f.name();
        return null;
    }

    /** Refuses a file that holds a tensor of an unsupported family, before anything is applied. */
    static void refuseUnsupported(Path file, Iterable<String> keys) {
        for (String k : keys) {
            String f = family(k);
            if (f != null) {
                throw new UserException("LoRA " + file + " is " + f + ", e.g. '" + k + "', which this plugin does not"
                        + " apply (applying only its plain LoRA part would compute something else). Use a plain LoRA or"
                        + " DoRA file (lora_down/lora_up, lora_A/lora_B), e.g. converted with LyCORIS' or kohya's tools, or leave it out");
            }
        }
    }
}
