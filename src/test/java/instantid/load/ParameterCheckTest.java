package instantid.load;

import instantid.io.DType;
import instantid.io.SafetensorsWriter;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.io.WeightFileException;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SdxlModels;
import instantid.parity.FixturesTestAccess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model whose files do not hold what their configs describe fails when it is opened, naming every difference. */
class ParameterCheckTest {

    @TempDir
    Path tmp;

    @Test
    void aUNetWithAMissingAnExtraAndAMisShapedTensorIsNamedAtLoad() throws IOException {
        Path tiny = FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny");
        Path model = tmp.resolve("model");
        copy(tiny, model);
        Path unetFile = model.resolve("unet/diffusion_pytorch_model.safetensors");
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (TensorSource s = TensorSources.open(unetFile)) {
            for (String n : s.names()) shapes.put(n, s.info(n).shape());
        }
        shapes.remove("conv_out.bias");
        shapes.put("conv_in.weight", new long[] {1, 1, 1, 1});
        shapes.put("extra_block.weight", new long[] {3});
        Files.delete(unetFile);
        SafetensorsWriter.write(unetFile, shapes, DType.F32, (name, shape, start, out) -> java.util.Arrays.fill(out, 0f));
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> SdxlModels.load(ModelPaths.inFolder(model, null, null),
                        instantid.pipeline.Runtime.resolve(new RuntimeOptions("cpu", "fp32")), instantid.pipeline.Progress.NONE).close());
        String m = e.getMessage();
        assertTrue(m.contains(unetFile.toString()), m);
        assertTrue(m.contains("1 missing (conv_out.bias)"), m);
        assertTrue(m.contains("1 unexpected (extra_block.weight)"), m);
        assertTrue(m.contains("conv_in.weight [1, 1, 1, 1]"), m);
    }

    @Test
    void theTinyModelPasses() {
        Path tiny = FixturesTestAccess.requireFixtures().resolve("pipeline_sdxl_tiny");
        SdxlModels.load(ModelPaths.inFolder(tiny, null, null),
                instantid.pipeline.Runtime.resolve(new RuntimeOptions("cpu", "fp32")), instantid.pipeline.Progress.NONE).close();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
    }
}
