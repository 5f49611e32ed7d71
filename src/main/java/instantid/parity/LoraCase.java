package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.lora.Lora;
import instantid.lora.LoraFile;
import instantid.lora.LoraSpec;
import instantid.lora.LoraTargets;
import instantid.nn.UNet;
import instantid.nn.UNetConfig;
import instantid.nn.UNetExtras;
import instantid.tensor.Weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Kind {@code lora}: the base UNet with each LoRA file fused at the case's scale (kohya:
 * {@code noise_pred_kohya}, peft: {@code noise_pred_peft}); after unloading, the UNet must give
 * its plain output again, bit for bit.
 */
public final class LoraCase implements CaseRunner {

    @Override
    public String kind() {
        return "lora";
    }

    @Override
    public Outcome run(Case c, NDManager m) throws Exception {
        Path base = c.file(c.string("base", null));
        Path cfgFile = base.resolveSibling("config.json");
        try (TensorSource src = TensorSources.open(base); Weights w = new Weights(m, DataType.FLOAT32)) {
            w.mapAll(src, "");
            UNetConfig cfg = Files.isRegularFile(cfgFile)
                    ? UNetConfig.fromJson(com.google.gson.JsonParser.parseString(Files.readString(cfgFile)).getAsJsonObject())
                    : UNetConfig.fromWeights(w);
            UNet unet = new UNet(w, cfg);
            Report report = new Report(c);
            NDArray plain = forward(unet, c, m);
            double scale = c.number("scale", 1.0);
            String[][] files = {{"kohya_file", "noise_pred_kohya"}, {"peft_file", "noise_pred_peft"}};
            for (String[] f : files) {
                String name = c.string(f[0], null);
                if (name == null || !c.has(f[1])) continue;
                Map<LoraFile.Net, Lora.Target> targets = Map.of(LoraFile.Net.UNET, LoraTargets.unet(w));
                try (Lora l = Lora.apply(List.of(new LoraSpec(c.file(name), scale)), targets, null)) {
                    report.check(f[1], forward(unet, c, m));
                }
                NDArray after = forward(unet, c, m);
                if (!after.contentEquals(plain)) report.fail("unloading " + name + " did not restore the UNet exactly");
            }
            return report.outcome();
        }
    }

    private static NDArray forward(UNet unet, Case c, NDManager m) {
        return unet.forward(c.array(m, "sample"), c.array(m, "timestep"), c.array(m, "encoder_hidden_states"),
                c.array(m, "text_embeds"), c.array(m, "time_ids"), UNetExtras.NONE);
    }
}
