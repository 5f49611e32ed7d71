package instantid.models;

import instantid.common.CancelToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The downloader's trust rules against the loopback hub, one fault each: https only, redirects
 * only to the hub and its CDN (never to another scheme, host or down to http), If-Range on resume,
 * reading stops at the expected size, and alternative versions are accepted and named.
 */
class DownloaderTrustTest {

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

    private Downloader loopback() {
        return new Downloader(new Hub(hub.base(), null), 5_000, 5_000, 0).withLoopbackHttp();
    }

    private DownloadException refused(Downloader d, String path, Path target) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(DownloadException.class,
                () -> d.download(hub.uri(path), target, hub.sha256, hub.payload.length, null, CancelToken.NONE)));
    }

    @Test
    void plainHttpIsRefusedWithoutTheTestAllowance() {
        Downloader d = new Downloader(new Hub(hub.base(), null), 5_000, 5_000, 0);
        DownloadException e = refused(d, "/ok/x.bin", dir.resolve("x.bin"));
        assertEquals(DownloadException.Kind.UNTRUSTED, e.kind());
        assertTrue(e.getMessage().contains("https"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.bin")));
    }

    @Test
    void redirectsToOtherSchemesAndHostsAreNotFollowed() {
        for (String[] c : new String[][] {{"/to-file/a", "'file:'"}, {"/to-ftp/a", "'ftp:'"}, {"/to-evil/a", "evil.example.com"}}) {
            Path target = dir.resolve("r.bin");
            DownloadException e = refused(loopback(), c[0], target);
            assertEquals(DownloadException.Kind.UNTRUSTED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("not followed"), e.getMessage());
            assertFalse(Files.exists(target));
            assertFalse(Files.exists(dir.resolve("r.bin.part")));
        }
        DownloadException garbage = refused(loopback(), "/to-garbage/a", dir.resolve("g.bin"));
        assertEquals(DownloadException.Kind.HTTP, garbage.kind(), garbage.getMessage());
        assertTrue(garbage.getMessage().contains("malformed"), garbage.getMessage());
    }

    @Test
    void theHubsOwnRedirectIsFollowed() throws Exception {
        Path target = dir.resolve("m.bin");
        loopback().download(hub.uri("/to-ok/m.bin"), target, hub.sha256, hub.payload.length, null, CancelToken.NONE);
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
    }

    @Test
    void hostPolicyAllowsTheHubAndItsCdnOnlyOverHttps() {
        HostPolicy p = new HostPolicy(Hub.DEFAULT_BASE, false);
        URI hubUri = URI.create("https://huggingface.co/InstantX/InstantID/resolve/x/ip-adapter.bin");
        assertNull(p.refusal(null, hubUri));
        for (String ok : List.of("https://cdn-lfs.hf.co/a", "https://cdn-lfs-us-1.hf.co/a", "https://cas-bridge.xethub.hf.co/a",
                "https://cdn-lfs.huggingface.co/a", "https://us.aws.cdn.hf.co/a")) {
            assertNull(p.refusal(hubUri, URI.create(ok)), ok);
        }
        assertTrue(p.refusal(hubUri, URI.create("http://cdn-lfs.hf.co/a")).contains("downgrade"));
        assertTrue(p.refusal(hubUri, URI.create("https://huggingface.co.evil.com/a")).contains("host"));
        assertTrue(p.refusal(hubUri, URI.create("https://evilhf.co/a")).contains("host"));
        assertTrue(p.refusal(hubUri, URI.create("jar:file:/x.jar!/a")).contains("'jar:'"));
        assertTrue(p.refusal(null, URI.create("http://127.0.0.1/a")).contains("plain http"), "no loopback without the test allowance");
        HostPolicy mirror = new HostPolicy("https://hf-mirror.example.org", false);
        assertNull(mirror.refusal(null, URI.create("https://cdn.hf-mirror.example.org/a")));
        assertNull(mirror.refusal(null, URI.create("https://huggingface.co/a")));
        assertTrue(mirror.refusal(null, URI.create("https://example.org/a")).contains("host"));
    }

    @Test
    void resumeSendsIfRangeAndAChangedFileRestarts() throws Exception {
        Path target = dir.resolve("e.bin");
        Path part = dir.resolve("e.bin.part");
        DownloadException cut = refused(loopback(), "/etag/e.bin", target);
        assertEquals(DownloadException.Kind.NETWORK, cut.kind(), cut.getMessage());
        assertTrue(Files.size(part) > 0);
        assertEquals("\"v1\"", Files.readString(dir.resolve("e.bin.part.validator")));

        hub.etag = "\"v2\""; // the file changed upstream since the part began
        Downloader.Result r = loopback().download(hub.uri("/etag/e.bin"), target, hub.sha256, hub.payload.length, null, CancelToken.NONE);
        assertEquals(List.of("/etag/e.bin \"v1\""), hub.ifRanges, "the resume carried If-Range with the first validator");
        assertFalse(r.resumed(), "a stale If-Range gets the whole file, written from the start");
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
        assertFalse(Files.exists(part));
        assertFalse(Files.exists(dir.resolve("e.bin.part.validator")));
    }

    @Test
    void readingStopsAtTheExpectedSize() throws Exception {
        Path target = dir.resolve("n.bin");
        DownloadException e = refused(loopback(), "/nolength/n.bin", target);
        assertEquals(DownloadException.Kind.SIZE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("more than the " + hub.payload.length), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("n.bin.part")), "the oversized part is discarded");

        DownloadException lying = refused(loopback(), "/toolong/n.bin", target);
        assertEquals(DownloadException.Kind.SIZE, lying.kind(), lying.getMessage());
        assertTrue(lying.getMessage().contains("nothing was downloaded"), lying.getMessage());
    }

    @Test
    void anAlternativeVersionIsAcceptedAndNamed() throws Exception {
        String other = "ab".repeat(32);
        ModelFile f = new ModelFile(Role.FACE_RECOGNISER, "ok/r", "model", "glintr100.onnx", "antelopev2/glintr100.onnx",
                hub.payload.length + 1L, other, null, null, null,
                List.of(new Pin(hub.payload.length, hub.sha256, "the mirror's glintr100.onnx")), -1);
        Downloader d = new Downloader(new Hub(hub.base(), null), 5_000, 5_000, 0).withLoopbackHttp();
        Path target = dir.resolve("glintr100.onnx");
        Downloader.Result r = d.fetch(f, target, null, CancelToken.NONE);
        assertTrue(r.verifiedBy().contains("the mirror's glintr100.onnx"), r.verifiedBy());
        assertArrayEquals(hub.payload, Files.readAllBytes(target));
    }
}
