package instantid.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeInfoTest {

    @TempDir
    Path dir;

    @Test
    void cpuEstimateScalesAMeasuredFigureAndNeverInventsOne() {
        String unknown = NativeInfo.cpuNotice(OptionalDouble.empty(), 0, 0);
        assertTrue(unknown.contains("unknown"), unknown);
        // 2 s per step measured at 512x512 -> 4x the pixels at 1024x1024 -> 8 s
        String known = NativeInfo.cpuNotice(OptionalDouble.of(2.0), 512, 512);
        assertTrue(known.contains("about 8 s per step at 1024x1024"), known);
    }

    @Test
    void libtorchFolderIsCheckedForVersionAndFlavor() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("libtorch/lib"));
        assertThrows(IllegalArgumentException.class, () -> NativeInfo.useLibtorch(dir.resolve("libtorch"), null));
        Files.write(lib.resolve(System.mapLibraryName("torch")), new byte[0]);
        Files.writeString(dir.resolve("libtorch/build-version"), "2.5.1+cu124\n");
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class, () -> NativeInfo.useLibtorch(dir.resolve("libtorch"), null));
        assertTrue(old.getMessage().contains("2.7.1"), old.getMessage());
        Files.writeString(dir.resolve("libtorch/build-version"), "2.7.1+cu128\n");
        String[] keys = {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR"};
        String[] saved = new String[3];
        for (int i = 0; i < 3; i++) saved[i] = System.getProperty(keys[i]);
        try {
            assertEquals("cu128", NativeInfo.useLibtorch(dir.resolve("libtorch"), null));
            assertEquals(lib.toString(), System.getProperty("PYTORCH_LIBRARY_PATH"));
            assertEquals("2.7.1", System.getProperty("PYTORCH_VERSION"));
        } finally {
            for (int i = 0; i < 3; i++) {
                if (saved[i] == null) System.clearProperty(keys[i]);
                else System.setProperty(keys[i], saved[i]);
            }
        }
    }

    @Test
    void probeReportsTheBundledCpuEngine() {
        NativeInfo.Info i = NativeInfo.probe();
        assertEquals("PyTorch", i.engine());
        assertTrue(i.version().startsWith("2.7.1"), i.version());
        assertTrue(i.line().contains(i.device()), i.line());
    }
}
