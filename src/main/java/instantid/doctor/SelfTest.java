package instantid.doctor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.bench.RandomModel;
import instantid.common.CancelToken;
import instantid.io.DType;
import instantid.io.SafetensorsWriter;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.ParameterLists;
import instantid.nn.UNet;
import instantid.nn.UNetConfig;
import instantid.nn.UNetExtras;
import instantid.nn.Vae;
import instantid.nn.VaeConfig;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A small end-to-end check of a device: a fixture-sized UNet (SDXL's architecture, 16/32/64
 * channels) and VAE with seeded random weights, written as safetensors to a temporary folder and
 * read back as real models are; one UNet step on a 16x16 latent and a VAE decode of its output,
 * on the device in its compute dtype and on the CPU in float32, compared.
 *
 * @param ok       whether the device's result matches the CPU's within the dtype's tolerance
 * @param maxError largest |device - cpu| relative to the largest |cpu| value
 * @param seconds  time of the device pass (after a warm-up pass)
 * @param message  one line: what ran where, the error and the time, or why it failed
 */
public record SelfTest(boolean ok, double maxError, double seconds, String message) {

    /** Runs the check on {@code device} in {@code dtype}. Never throws: a failure is a result. */
    public static SelfTest run(Device device, DataType dtype) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("instantid-selftest");
            JsonObject uc = config("unet"), vc = config("vae");
            SafetensorsWriter.write(dir.resolve("unet.safetensors"), ParameterLists.unet(UNetConfig.fromJson(uc)), DType.F32,
                    RandomModel.values(18));
            SafetensorsWriter.write(dir.resolve("vae.safetensors"), ParameterLists.vae(VaeConfig.fromJson(vc)), DType.F32,
                    RandomModel.values(19));
            float[] cpu = pass(dir, uc, vc, Device.cpu(), DataType.FLOAT32, 1)[0];
            float[][] dev = pass(dir, uc, vc, device, dtype, 2);
            double scale = 0, err = 0;
            for (int i = 0; i < cpu.length; i++) {
                scale = Math.max(scale, Math.abs(cpu[i]));
                err = Math.max(err, Math.abs(cpu[i] - dev[0][i]));
            }
            double rel = scale > 0 ? err / scale : err;
            boolean finite = Double.isFinite(rel);
            double tol = dtype == DataType.FLOAT32 ? 1e-3 : 3e-2;
            boolean ok = finite && rel <= tol;
            String what = String.format(java.util.Locale.ROOT, "UNet step + VAE decode on %s (%s): %.3f s, max error vs CPU fp32 %.2e (tolerance %.0e)",
                    device, dtype == DataType.FLOAT32 ? "fp32" : "fp16", dev[1][0], rel, tol);
            return new SelfTest(ok, rel, dev[1][0], ok ? what : what + ": the device gives WRONG results");
        } catch (RuntimeException | IOException | LinkageError e) {
            return new SelfTest(false, Double.NaN, -1, "the self-test failed on " + device + ": " + e);
        } finally {
            if (dir != null) delete(dir);
        }
    }

    /** {image floats, {seconds of the last pass}} after {@code passes} passes. */
    private static float[][] pass(Path dir, JsonObject uc, JsonObject vc, Device device, DataType dtype, int passes) {
        UNetConfig ucfg = UNetConfig.fromJson(uc);
        try (NDManager m = NDManager.newBaseManager(device);
             TensorSource us = TensorSources.open(dir.resolve("unet.safetensors"));
             TensorSource vs = TensorSources.open(dir.resolve("vae.safetensors"));
             Weights uw = new Weights(m, dtype).mapAll(us, "");
             Weights vw = new Weights(m, dtype).mapAll(vs, "");
             Vae vae = new Vae(VaeConfig.fromJson(vc), vw)) {
            UNet unet = new UNet(uw, ucfg);
            int pooled = ucfg.projectionClassEmbeddingsInputDim() - 6 * ucfg.additionTimeEmbedDim();
            float[] out = null;
            double secs = 0;
            for (int k = 0; k < passes; k++) {
                long t0 = System.nanoTime();
                try (Scope s = new Scope()) {
                    NDArray x = m.create(gauss(2 * 4 * 16 * 16, 5), new Shape(2, 4, 16, 16)).toType(dtype, false);
                    NDArray ctx = m.create(gauss(2 * 77 * ucfg.crossAttentionDim(), 6), new Shape(2, 77, ucfg.crossAttentionDim()))
                            .mul(0.5f).toType(dtype, false);
                    NDArray pool = m.create(gauss(2 * pooled, 7), new Shape(2, pooled)).toType(dtype, false);
                    NDArray ids = m.create(new float[] {128, 128, 0, 0, 128, 128, 128, 128, 0, 0, 128, 128}, new Shape(2, 6))
                            .toType(dtype, false);
                    NDArray t = m.create(new float[] {500f});
                    NDArray eps = unet.forward(x, t, ctx, pool, ids, UNetExtras.NONE);
                    NDArray img = vae.decode(vae.unscale(eps.toType(vae.computeDType(), false)), CancelToken.NONE);
                    out = img.toType(DataType.FLOAT32, false).toFloatArray();
                }
                secs = (System.nanoTime() - t0) / 1e9;
            }
            return new float[][] {out, {(float) secs}};
        }
    }

    private static float[] gauss(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static JsonObject config(String name) {
        try (InputStream in = SelfTest.class.getResourceAsStream("/instantid/configs/tiny/" + name + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder: left for the system to clean
        }
    }
}
