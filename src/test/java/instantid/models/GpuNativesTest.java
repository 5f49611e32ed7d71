package instantid.models;

import instantid.common.CancelToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GPU natives installer against a loopback server with publish.djl.ai's layout. */
class GpuNativesTest {

    private static final List<String> PROPS = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
            "jna.library.path");
    private final Map<String, String> saved = new HashMap<>();

    @TempDir
    Path tmp;

    GpuNativesTest() {
        for (String p : PROPS) saved.put(p, System.getProperty(p));
    }

    /** Activation sets JVM-wide properties DJL reads: restore them so later tests load the CPU natives. */
    @AfterEach
    void restore() {
        for (String p : PROPS) {
            if (saved.get(p) == null) System.clearProperty(p);
            else System.setProperty(p, saved.get(p));
        }
    }

    @Test
    void installsTheCu128LayoutWithProgressResumeAndRecordedHashes() throws Exception {
        try (LoopbackNatives srv = new LoopbackNatives()) {
            srv.cutOnce = "libtorch_cpu.so";
            GpuNatives g = new GpuNatives(tmp.resolve("cache"), srv.base(), "linux-x86_64").readTimeout(2000).loopbackHttp();
            List<Progress> events = new ArrayList<>();
            List<String> log = new ArrayList<>();
            NativesRecord rec = g.install(events::add, log::add, CancelToken.NONE);

            assertEquals(tmp.resolve("cache/pytorch/2.7.1-cu128-linux-x86_64"), g.folder());
            assertEquals(4, rec.files().size());
            for (Map.Entry<String, byte[]> e : srv.libs.entrySet()) {
                assertArrayEquals(e.getValue(), Files.readAllBytes(g.folder().resolve(e.getKey())), e.getKey());
                NativesRecord.Entry en = rec.files().stream().filter(f -> f.name().equals(e.getKey())).findFirst().orElseThrow();
                assertEquals(Sha256.of(g.folder().resolve(e.getKey())), en.sha256());
                assertEquals(e.getValue().length, en.size());
                assertTrue(en.url().endsWith("/cu128/linux-x86_64/native/lib/" + e.getKey() + ".gz"), en.url());
            }
            // only cu128 was fetched; the cut file was resumed with a Range request, not refetched whole
            assertTrue(srv.requests.stream().noneMatch(r -> r.contains("/cpu/") || r.contains("/cu126/")), srv.requests.toString());
            assertTrue(srv.requests.stream().anyMatch(r -> r.contains("libtorch_cpu.so.gz bytes=")), srv.requests.toString());
            assertTrue(events.stream().anyMatch(p -> p.name().startsWith("libtorch") && p.bytes() > 0));
            assertEquals(4, log.size());
            assertTrue(Files.isRegularFile(g.folder().resolve(NativesRecord.FILE)));
            assertFalse(Files.exists(g.folder().resolveSibling(g.folder().getFileName() + ".instantid-download")));
            Path link = g.cudartFolder().resolve("libcudart.so");
            assertArrayEquals(srv.libs.get("libcudart-218eec4c.so.12"), Files.readAllBytes(link));

            NativesActivation a = NativesActivation.activate(g);
            assertEquals(NativesActivation.State.ACTIVE, a.state(), a.message());
            assertEquals(g.folder().toString(), System.getProperty("PYTORCH_LIBRARY_PATH"));
            assertEquals("2.7.1", System.getProperty("PYTORCH_VERSION"));
            assertEquals("cu128", System.getProperty("PYTORCH_FLAVOR"));
            assertTrue(System.getProperty("jna.library.path").startsWith(g.cudartFolder().toString()));
        }
    }

    @Test
    void aChangedLibraryIsRefusedAtStartAndUninstallUndoesEverything() throws Exception {
        try (LoopbackNatives srv = new LoopbackNatives()) {
            GpuNatives g = new GpuNatives(tmp.resolve("cache"), srv.base(), "linux-x86_64").readTimeout(2000).loopbackHttp();
            g.install(null, s -> { }, CancelToken.NONE);
            Path lib = g.folder().resolve("libc10.so");
            byte[] b = Files.readAllBytes(lib);
            b[1000] ^= 1; // same size, one bit different
            Files.write(lib, b);
            System.clearProperty("PYTORCH_LIBRARY_PATH");

            NativesActivation a = NativesActivation.activate(g);
            assertEquals(NativesActivation.State.REFUSED, a.state());
            assertTrue(a.message().contains("libc10.so") && a.message().contains("SHA-256"), a.message());
            assertNull(System.getProperty("PYTORCH_LIBRARY_PATH"), "a changed install must not be switched to");

            assertTrue(g.uninstall());
            assertFalse(Files.exists(g.folder()));
            assertFalse(Files.exists(g.cudartFolder()));
            assertEquals(NativesActivation.State.NOT_INSTALLED, NativesActivation.activate(g).state());
            assertFalse(g.uninstall(), "nothing left to remove");
        }
    }

    @Test
    void aCancelledInstallResumesWithoutFetchingFinishedFilesAgain() throws Exception {
        try (LoopbackNatives srv = new LoopbackNatives()) {
            GpuNatives g = new GpuNatives(tmp.resolve("cache"), srv.base(), "linux-x86_64").readTimeout(2000).loopbackHttp();
            AtomicInteger files = new AtomicInteger();
            assertThrows(CancellationException.class, () -> g.install(null, s -> files.incrementAndGet(), CancelToken.of(() -> files.get() >= 2)));
            assertNull(g.installed(), "nothing is installed until every file is there");
            assertEquals(1, srv.requestsFor("libc10.so"));
            NativesRecord rec = g.install(null, s -> { }, CancelToken.NONE);
            assertEquals(4, rec.files().size());
            assertEquals(1, srv.requestsFor("libc10.so"), "a finished file is not fetched again");
            assertEquals(1, srv.requestsFor("libtorch.so"));
        }
    }

    @Test
    void aTruncatedGzipIsNotInstalled() throws Exception {
        try (LoopbackNatives srv = new LoopbackNatives()) {
            String key = "/pytorch/2.7.1/cu128/linux-x86_64/native/lib/libtorch.so.gz";
            byte[] gz = srv.served.get(key);
            srv.served.put(key, java.util.Arrays.copyOf(gz, gz.length - 20)); // body complete per HTTP, gzip trailer gone
            GpuNatives g = new GpuNatives(tmp.resolve("cache"), srv.base(), "linux-x86_64").readTimeout(2000).loopbackHttp();
            DownloadException e = assertThrows(DownloadException.class, () -> g.install(null, s -> { }, CancelToken.NONE));
            assertEquals(DownloadException.Kind.CHECKSUM, e.kind());
            assertNull(g.installed());
            assertFalse(Files.exists(g.folder()));
        }
    }

    @Test
    void theIndexIsFilteredToThisPlatformAndFlavor() {
        GpuNatives lin = new GpuNatives(tmp, null, "linux-x86_64");
        List<String> idx = List.of("cpu/linux-x86_64/native/lib/libtorch.so.gz", "cu128/linux-x86_64/native/lib/libtorch.so.gz",
                "cu128/win-x86_64/native/lib/torch.dll.gz", "cu128/linux-x86_64/native/lib/../../evil.gz");
        assertEquals(List.of("cu128/linux-x86_64/native/lib/libtorch.so.gz"), lin.wanted(idx));
        GpuNatives win = new GpuNatives(tmp, null, "win-x86_64");
        assertEquals(List.of("cu128/win-x86_64/native/lib/torch.dll.gz"), win.wanted(idx));
        assertFalse(new GpuNatives(tmp, null, "osx-aarch64").platformSupported());
        assertEquals(GpuNatives.DEFAULT_BASE, "https://publish.djl.ai/pytorch/2.7.1");
    }
}
