package instantid.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaHostTest {

    @Test
    void readsTheDriverVersionFromProcAndTheCudaVersionFromNvidiaSmi(@TempDir Path tmp) throws Exception {
        Path proc = tmp.resolve("version");
        Files.writeString(proc, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Thu Jan  9 12:00:00 UTC 2025\n"
                + "GCC version:  gcc version 12.2.0\n");
        assertEquals("570.86.15", CudaHost.driverFromProc(proc));
        Files.writeString(proc, "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.14  Release Build\n");
        assertEquals("550.54.14", CudaHost.driverFromProc(proc));
        assertNull(CudaHost.driverFromProc(tmp.resolve("absent")));
        assertEquals("12.8", CudaHost.cudaFromSmi("| NVIDIA-SMI 570.86.15   Driver Version: 570.86.15   CUDA Version: 12.8     |"));
    }

    @Test
    void saysWhyAnInstallCannotWork() {
        assertTrue(new CudaHost(null, null, null, List.of()).unsupportedReason().contains("no NVIDIA driver"));
        assertTrue(new CudaHost("470.1", null, Path.of("/x/libcuda.so.1"), List.of()).unsupportedReason().contains("too old"));
        CudaHost ok = new CudaHost("550.54.14", "12.4", Path.of("/x/libcuda.so.1"),
                List.of(new CudaHost.Gpu("Tesla P100", "6.0", 16000, 15000)));
        assertNull(ok.unsupportedReason());
        assertEquals(2, ok.warnings().size(), ok.warnings().toString()); // driver below 570, capability below 7.5
    }
}
