package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParser;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.parity.Case;
import instantid.parity.FixturesTestAccess;
import instantid.tensor.Weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fixtures' tiny SDXL UNet with the IP layers of ip-adapter.bin, and the inputs of unet_sdxl_ip. */
final class TinyUNet implements AutoCloseable {

    final NDManager manager;
    final Weights weights;
    final UNetConfig config;
    final UNet unet;
    final NDArray sample, timestep, text, ipTokens, textEmbeds, timeIds;
    final List<NDArray> downResiduals = new ArrayList<>();
    final NDArray midResidual;
    private final List<TensorSource> sources = new ArrayList<>();
    private final Case io;

    TinyUNet() throws IOException {
        Path fx = FixturesTestAccess.requireFixtures();
        Path dir = fx.resolve("pipeline_sdxl_tiny");
        manager = NDManager.newBaseManager();
        config = UNetConfig.fromJson(JsonParser.parseString(Files.readString(dir.resolve("unet/config.json"))).getAsJsonObject());
        weights = new Weights(manager, DataType.FLOAT32);
        TensorSource u = TensorSources.open(dir.resolve("unet/diffusion_pytorch_model.safetensors"));
        TensorSource ip = TensorSources.open(dir.resolve("ip-adapter.bin"), "ip_adapter");
        sources.add(u);
        sources.add(ip);
        weights.mapAll(u, "");
        IpAdapterKeys.map(weights, ip, config);
        unet = new UNet(weights, config);
        io = Case.read(fx.resolve("unet_sdxl_ip"));
        int n = (int) io.number("ip_tokens", 0);
        IpContext.Split split = IpContext.split(io.array(manager, "encoder_hidden_states"), n, 1f);
        sample = io.array(manager, "sample");
        timestep = io.array(manager, "timestep");
        text = split.text();
        ipTokens = split.ip().identities().get(0).tokens();
        textEmbeds = io.array(manager, "text_embeds");
        timeIds = io.array(manager, "time_ids");
        for (int i = 0; io.has("down_residual_" + i); i++) downResiduals.add(io.array(manager, "down_residual_" + i));
        midResidual = io.array(manager, "mid_residual");
    }

    NDArray forward(UNetExtras extras) {
        return unet.forward(sample, timestep, text, textEmbeds, timeIds, extras);
    }

    static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Override
    public void close() {
        io.close();
        weights.close();
        for (TensorSource s : sources) s.close();
        manager.close();
    }
}
