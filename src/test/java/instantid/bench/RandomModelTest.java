package instantid.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.DType;
import instantid.io.Safetensors;
import instantid.io.SafetensorsWriter;
import instantid.io.TensorSource;
import instantid.io.TorchPickle;
import instantid.nn.ParameterLists;
import instantid.nn.UNetConfig;
import instantid.parity.FixturesTest;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Progress;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.tensor.Tensors;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** random-model writes folders our loaders read as real models, and the writers round-trip. */
class RandomModelTest {

    @Test
    void safetensorsWriterRoundTrips(@TempDir Path tmp) throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("a.weight", new long[] {3, 5});
        shapes.put("b", new long[] {7});
        Path f = tmp.resolve("x.safetensors");
        SafetensorsWriter.write(f, shapes, DType.F32, (n, s, start, out) -> {
            for (int i = 0; i < out.length; i++) out[i] = n.length() * 100 + start + i;
        });
        try (Safetensors s = Safetensors.open(f); NDManager m = NDManager.newBaseManager()) {
            assertEquals(List.of("a.weight", "b"), List.copyOf(s.names()));
            float[] a = Tensors.load(m, s, "a.weight", DataType.FLOAT32).toFloatArray();
            assertEquals(15, a.length);
            assertEquals(800f, a[0]);
            assertEquals(814f, a[14]);
            assertEquals(106f, Tensors.load(m, s, "b", DataType.FLOAT32).toFloatArray()[6]);
        }
    }

    @Test
    void tinyRandomInstantIdModelLoadsAndGeneratesAFiniteImage(@TempDir Path tmp) throws Exception {
        Path fx = FixturesTest.requireFixtures();
        Path tiny = fx.resolve("pipeline_sdxl_tiny");
        JsonObject res = JsonParser.parseString(Files.readString(fx.resolve("pipeline_instantid/case.json")))
                .getAsJsonObject().getAsJsonObject("config").getAsJsonObject("resampler");
        Path out = tmp.resolve("random");
        RandomModel.write(out, RandomModel.Configs.of(tiny).withResampler(res), DType.F16, 5, tiny, true, s -> { });
        // the same keys and shapes as the real tiny files, in the published layouts
        try (TensorSource mine = TorchPickle.open(out.resolve("ip-adapter.bin"));
             TensorSource real = TorchPickle.open(tiny.resolve("ip-adapter.bin"))) {
            assertEquals(new java.util.TreeSet<>(real.names()), new java.util.TreeSet<>(mine.names()));
            for (String n : real.names()) assertArrayEquals(real.info(n).shape(), mine.info(n).shape(), n);
        }
        try (Safetensors u = Safetensors.open(out.resolve("unet/diffusion_pytorch_model.fp16.safetensors"))) {
            assertEquals(ParameterLists.unet(UNetConfig.fromJson(RandomModel.read(tiny.resolve("unet/config.json")))).keySet(),
                    new java.util.LinkedHashSet<>(u.names()));
        }
        GenerationSettings g = new GenerationSettings("a person", null, 2, 5, 64, 64, 3, "euler", 1, List.of());
        float[] emb = new float[512];
        for (int i = 0; i < emb.length; i++) emb[i] = (float) Math.sin(i) * 2;
        Identity id = new Identity(emb, new float[] {20, 24, 44, 24, 32, 34, 24, 44, 40, 44}, 0.8, 0.8);
        try (InstantIdPipeline p = InstantIdPipeline.load(ModelPaths.inFolder(out, null, null), RuntimeOptions.CPU_FP32, Progress.NONE)) {
            Result r = p.generate(InstantIdRequest.single(g, id), Progress.NONE);
            byte[] rgb = r.images().get(0).rgb();
            int distinct = (int) java.util.stream.IntStream.range(0, rgb.length).map(i -> rgb[i]).distinct().count();
            assertTrue(distinct > 1, "a constant image: the random weights gave NaN or saturated everything");
            // float16 files under float32 compute stay held in float16 (no per-use float32 copy outlives a
            // run), unless the memory plan holds the networks wide (float32, once: no per-step cast)
            boolean wide = p.sdxl().memory.plan().holdWide();
            for (instantid.tensor.Weights w : List.of(p.sdxl().unet.weights(), p.identityNet().weights(),
                    p.sdxl().textEncoder1.weights(), p.sdxl().textEncoder2.weights())) {
                DataType expected = wide ? DataType.FLOAT32 : DataType.FLOAT16;
                List<ai.djl.ndarray.NDArray> held = ((ai.djl.ndarray.BaseNDManager) w.manager()).getManagedArrays();
                assertTrue(held.size() > 0 && held.size() <= w.names().size(), held.size() + " arrays for " + w.names().size() + " weights");
                assertTrue(held.stream().filter(a -> a.getDataType().isFloating()).allMatch(a -> a.getDataType() == expected),
                        "wide=" + wide + ": a weight is held in another precision than "
                                + expected + " (a per-use copy left behind, or both kept): "
                                + held.stream().map(a -> a.getDataType().toString()).distinct().toList());
            }
        }
    }
}
