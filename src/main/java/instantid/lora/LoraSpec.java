package instantid.lora;

import java.nio.file.Path;

/** A LoRA file and the scale it is applied at ({@code --lora FILE:SCALE}). */
public record LoraSpec(Path file, double scale) {

    /** Parses {@code FILE[:SCALE]} (scale 1 when absent); a Windows drive colon is not a scale. */
    public static LoraSpec parse(String s) {
        int c = s.lastIndexOf(':');
        if (c > 1) {
            try {
                return new LoraSpec(Path.of(s.substring(0, c)), Double.parseDouble(s.substring(c + 1)));
            } catch (NumberFormatException e) {
                // the colon belongs to the path
            }
        }
        return new LoraSpec(Path.of(s), 1.0);
    }

    @Override
    public String toString() {
        return file + ":" + scale;
    }
}
