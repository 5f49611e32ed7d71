package instantid.fiji;

import instantid.lora.LoraSpec;

import java.util.ArrayList;
import java.util.List;

/** LoRAs as a dialog / macro gives them: {@code file:scale;file:scale} (scale 1 when absent). */
final class LoraList {

    private LoraList() {
    }

    static List<LoraSpec> parse(String text) {
        List<LoraSpec> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            LoraSpec l = LoraSpec.parse(p);
            if (!java.nio.file.Files.isRegularFile(l.file())) {
                throw new IllegalArgumentException("LoRA file " + l.file() + " does not exist (loras=" + text + ")");
            }
            out.add(l);
        }
        return out;
    }
}
