package instantid.load;

import instantid.io.TensorSource;
import instantid.io.WeightFileException;
import instantid.load.KeyMaps;
import instantid.load.ModelLayout;
import instantid.tensor.Weights;

import java.nio.file.Path;

/** A single-file SDXL checkpoint (SGM names) mapped onto the networks' internal names. */
public final class SingleFile {

    private SingleFile() {
    }

    public static void map(Path file, TensorSource ck, Weights unet, Weights vae, Weights te1, Weights te2) {
        ModelLayout l = ModelLayout.detect(file);
        if (l.kind() != ModelLayout.Kind.SGM_SINGLE_FILE) {
            throw WeightFileException.of(file, "is " + l.describe() + ", not an SDXL single-file checkpoint");
        }
        KeyMaps.unet(unet, ck, l);
        KeyMaps.vae(vae, ck, l);
        KeyMaps.textEncoder(te1, ck, l);
        KeyMaps.textEncoder2(te2, ck, l);
    }
}
