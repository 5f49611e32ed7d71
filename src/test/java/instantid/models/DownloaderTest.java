package instantid.models;

import instantid.common.CancelToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The downloader against a real HTTP server on loopback: no mocked client anywhere. */
class DownloaderTest {

    @TempDir
    Path dir;
    LoopbackHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new LoopbackHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private Downloader downloader(String token, int retries) {
        return new Downloader(new Hub(hub.base(), token), 5_000, 5_000, retries).withLoopbackHttp();
    }

    @Test
    void fullDownloadIsVerifiedAndMovedIntoPlace() throws Exception {
        Path target = dir.resolve("a/b/model.onnx");
        List<Progress> seen = new ArrayList<>();
        Downloader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                downloader(null, 0).download(hub.uri("/ok/model.onnx"), target, hub.sha256, hub.payload.length, seen::add, CancelToken.NONE));
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
        assertEquals(hub.sha256, r.sha256());
        assertEquals("manifest sha256", r.verifiedBy());
        assertFalse(Files.exists(dir.resolve("a/b/model.onnx.part")));
        assertFalse(seen.isEmpty());
        Progress last = seen.get(seen.size() - 1);
        assertEquals(hub.payload.length, last.bytes());
        assertEquals(hub.payload.length, last.total());
    }

    @Test
    void withoutManifestChecksumTheHubChecksumOnTheRedirectIsUsed() throws Exception {
        Path target = dir.resolve("m.bin");
        Downloader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                downloader(null, 0).download(hub.uri("/redirect/m.bin"), target, null, -1, null, CancelToken.NONE));
        assertEquals("hub sha256", r.verifiedBy());
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
    }

    @Test
    void resumesWithRangeAfterACutConnection() throws Exception {
        Path target = dir.resolve("cut.bin");
        Path part = dir.resolve("cut.bin.part");
        DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(DownloadException.class,
                () -> downloader(null, 0).download(hub.uri("/cut/x"), target, hub.sha256, -1, null, CancelToken.NONE)));
        assertEquals(DownloadException.Kind.NETWORK, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        assertFalse(Files.exists(target), "no file under the final name after a cut");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < hub.payload.length, "partial file kept: " + kept);

        Downloader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                downloader(null, 0).download(hub.uri("/cut/x"), target, hub.sha256, -1, null, CancelToken.NONE));
        assertTrue(r.resumed());
        assertEquals(List.of("/cut/x bytes=" + kept + "-"), hub.ranges);
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
        assertFalse(Files.exists(part));
    }

    @Test
    void retriesResumeByThemselves() throws Exception {
        Path target = dir.resolve("cut2.bin");
        Downloader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                downloader(null, 1).download(hub.uri("/cut/y"), target, hub.sha256, hub.payload.length, null, CancelToken.NONE));
        assertTrue(r.resumed());
        assertEquals(2, hub.cutRequests.get());
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
    }

    @Test
    void checksumMismatchLeavesNoFileAndSaysSo() {
        Path target = dir.resolve("bad.bin");
        String wrong = "ab".repeat(32);
        DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(DownloadException.class,
                () -> downloader(null, 0).download(hub.uri("/ok/bad.bin"), target, wrong, -1, null, CancelToken.NONE)));
        assertEquals(DownloadException.Kind.CHECKSUM, e.kind());
        assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(hub.sha256), e.getMessage());
        assertTrue(e.getMessage().contains("NOT installed"), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("bad.bin.part")));
    }

    @Test
    void aLyingHubChecksumIsCaughtToo() {
        Path target = dir.resolve("lie.bin");
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null, 0).download(hub.uri("/lying/x"), target, null, -1, null, CancelToken.NONE));
        assertEquals(DownloadException.Kind.CHECKSUM, e.kind());
        assertFalse(Files.exists(target));
    }

    @Test
    void notFoundIsClear() {
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null, 0).download(hub.uri("/nothing/here.bin"), dir.resolve("n.bin"), null, -1, null, CancelToken.NONE));
        assertEquals(DownloadException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("404") && e.getMessage().contains("/nothing/here.bin"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("n.bin")));
    }

    @Test
    void gatedModelExplainsTheTokenAndTheTokenIsSent() throws Exception {
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(null, 0).download(hub.uri("/gated/g.bin"), dir.resolve("g.bin"), null, -1, null, CancelToken.NONE));
        assertEquals(DownloadException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("HF_TOKEN"), e.getMessage());

        DownloadException refused = assertThrows(DownloadException.class,
                () -> downloader("wrong", 0).download(hub.uri("/gated/g.bin"), dir.resolve("g.bin"), null, -1, null, CancelToken.NONE));
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());

        downloader("secret", 0).download(hub.uri("/gated/g.bin"), dir.resolve("g.bin"), hub.sha256, -1, null, CancelToken.NONE);
        assertArrayEquals(hub.payload, Files.readAllBytes(dir.resolve("g.bin")));
        assertTrue(hub.authorizations.contains("/gated/g.bin Bearer secret"));
    }

    @Test
    void cancelOnASlowServerKeepsThePartAndNoFinalFile() {
        Path target = dir.resolve("slow.bin");
        long t0 = System.nanoTime();
        List<Progress> seen = new ArrayList<>();
        // cancel once something arrived and half a second passed
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(CancellationException.class,
                () -> downloader(null, 0).download(hub.uri("/slow/s.bin"), target, hub.sha256, -1, seen::add,
                        CancelToken.of(() -> System.nanoTime() - t0 > 500_000_000L))));
        assertFalse(Files.exists(target));
        Path part = dir.resolve("slow.bin.part");
        assertTrue(Files.exists(part), "the partial file is kept for resuming");
        try {
            long n = Files.size(part);
            assertTrue(n > 0 && n < hub.payload.length, "part size " + n);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void noNetworkIsClear() throws Exception {
        // a port nobody listens on: bind one, note it, close it
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Downloader d = new Downloader(new Hub("http://127.0.0.1:" + port, null), 2_000, 2_000, 0).withLoopbackHttp();
        DownloadException e = assertThrows(DownloadException.class,
                () -> d.download(java.net.URI.create("http://127.0.0.1:" + port + "/x"), dir.resolve("x"), null, -1, null, CancelToken.NONE));
        assertEquals(DownloadException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());

        Downloader nowhere = new Downloader(new Hub("https://no-such-host.invalid", null), 2_000, 2_000, 0);
        DownloadException dns = assertThrows(DownloadException.class,
                () -> nowhere.download(java.net.URI.create("https://no-such-host.invalid/x"), dir.resolve("y"), null, -1, null, CancelToken.NONE));
        assertEquals(DownloadException.Kind.NETWORK, dns.kind());
        assertTrue(dns.getMessage().contains("cannot resolve host"), dns.getMessage());
    }

    @Test
    void diskFullIsRecognisedFromTheWriteError() {
        DownloadException e = PartFile.classifyWriteError(new java.io.IOException("No space left on device"), dir.resolve("f.part"));
        assertEquals(DownloadException.Kind.DISK_FULL, e.kind());
        assertTrue(e.getMessage().contains("disk full") && e.getMessage().contains("INSTANTID_MODELS"), e.getMessage());
    }

    @Test
    void headlessLogPrintsOneLinePerTenPercent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Downloader.Listener l = Downloader.logEvery10Percent(new PrintStream(buf, true, StandardCharsets.UTF_8));
        for (int i = 0; i <= 1000; i++) l.progress(new Progress("f", i, 1000, 100, (1000 - i) / 100.0));
        String[] lines = buf.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(11, lines.length, String.join("\n", lines));
        assertTrue(lines[10].contains("100%"), lines[10]);
    }
}
