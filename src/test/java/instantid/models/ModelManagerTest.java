package instantid.models;

import instantid.common.CancelToken;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelManagerTest {

    @TempDir
    Path dir;

    static Path fixtures() {
        Path f = Path.of(System.getProperty("instantid.fixtures", "../shared/fixtures")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(f), "parity fixtures not found at " + f + ": skipped");
        return f;
    }

    @Test
    void bundledManifestListsEveryRoleWithSourcesAndTheInsightfaceLicence() {
        Manifest m = Manifest.bundled();
        for (Role r : Role.values()) assertFalse(m.files(r).isEmpty(), "no file for " + r);
        Set<String> paths = Set.copyOf(m.files().stream().map(ModelFile::path).toList());
        assertTrue(paths.containsAll(List.of("ControlNetModel/config.json", "ControlNetModel/diffusion_pytorch_model.safetensors",
                "ip-adapter.bin", "models/antelopev2/scrfd_10g_bnkps.onnx", "models/antelopev2/glintr100.onnx",
                "unet/diffusion_pytorch_model.fp16.safetensors", "tokenizer_2/merges.txt")), paths.toString());
        List<String> notes = m.licenceNotes(m.files(Role.FACE_DETECTOR));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("NON-COMMERCIAL"), notes.get(0));
        for (ModelFile f : m.files()) assertTrue(f.sha256() == null || f.sha256().length() == 64);
    }

    @Test
    void theJarCopyIsTheProjectManifest() throws Exception {
        Path project = Path.of("models/manifest.json");
        Assumptions.assumeTrue(Files.isRegularFile(project), "run from the project root");
        try (var in = Manifest.class.getResourceAsStream(Manifest.RESOURCE)) {
            assertNotNull(in);
            assertArrayEquals(Files.readAllBytes(project), in.readAllBytes());
        }
    }

    @Test
    void hubUrlsFollowTheResolveLayoutAndMirrorsReplaceTheBase() {
        Manifest m = Manifest.bundled();
        ModelFile ip = m.files(Role.ADAPTER).get(0);
        assertEquals("https://huggingface.co/InstantX/InstantID/resolve/57b32dfee076092ad2930c71fd6d439c2c3b1820/ip-adapter.bin",
                new Hub(null, null).url(ip).toString());
        ModelFile det = m.files(Role.FACE_DETECTOR).get(0);
        assertEquals("http://mirror.local:8080/hf/spaces/InstantX/InstantID/resolve/main/models/antelopev2/scrfd_10g_bnkps.onnx",
                new Hub("http://mirror.local:8080/hf/", null).url(det).toString());
    }

    @Test
    void defaultFolderFollowsPropertyThenFiji() {
        String old = System.getProperty("instantid.models");
        String oldIj = System.getProperty("ij.dir");
        try {
            System.setProperty("instantid.models", dir.toString());
            assertEquals(dir, ModelManager.defaultFolder());
            System.clearProperty("instantid.models");
            if (System.getenv("INSTANTID_MODELS") == null) {
                System.setProperty("ij.dir", "/opt/Fiji.app");
                assertEquals(Path.of("/opt/Fiji.app/models/instantid"), ModelManager.defaultFolder());
            }
        } finally {
            if (old == null) System.clearProperty("instantid.models");
            else System.setProperty("instantid.models", old);
            if (oldIj == null) System.clearProperty("ij.dir");
            else System.setProperty("ij.dir", oldIj);
        }
    }

    @Test
    void emptyFolderReportsEverythingMissingAndHowToGetIt() throws Exception {
        ModelManager mm = new ModelManager(dir, Manifest.bundled());
        assertFalse(mm.ready());
        // everything but the optional style / reference adapters (fetched only with --with)
        assertEquals(Manifest.bundled().files().stream().filter(f -> !f.role().optional()).count(), mm.toDownload().size());
        String r = mm.report();
        assertTrue(r.contains("[missing] IdentityNet"), r);
        assertTrue(r.contains("models --download") && r.contains("models --use ROLE=PATH"), r);
        assertTrue(r.contains("NON-COMMERCIAL"), r);
        assertTrue(r.contains("InstantX/InstantID:ip-adapter.bin"), r);
    }

    @Test
    void ownFilesOfTheRightKindAreAcceptedAndRemembered() throws Exception {
        Path fx = fixtures();
        Path tiny = fx.resolve("pipeline_sdxl_tiny");
        ModelManager mm = new ModelManager(dir, Manifest.bundled());
        assertOk(mm.useOwn(Role.BASE, tiny));
        assertOk(mm.useOwn(Role.IDENTITYNET, tiny.resolve("ControlNetModel")));
        assertOk(mm.useOwn(Role.ADAPTER, tiny.resolve("ip-adapter.bin")));
        assertOk(mm.useOwn(Role.FACE_DETECTOR, fx.resolve("face_analysis/det_tiny.onnx")));
        assertOk(mm.useOwn(Role.FACE_RECOGNISER, fx.resolve("face_analysis/rec_tiny.onnx")));
        assertTrue(mm.ready(), mm.report());
        assertTrue(mm.toDownload().isEmpty());
        assertTrue(mm.report().contains("Everything InstantID needs is there"), mm.report());

        // remembered in the folder's settings: a new manager sees the same choices
        ModelManager again = new ModelManager(dir, Manifest.bundled());
        assertEquals(tiny, again.location(Role.BASE));
        assertTrue(again.isOwn(Role.FACE_RECOGNISER));
        assertTrue(again.verify().values().stream().allMatch(FileCheck.Result::ok));
        again.forget(Role.BASE);
        assertFalse(new ModelManager(dir, Manifest.bundled()).isOwn(Role.BASE));
        // the single-file checkpoint is a valid base too
        assertOk(FileCheck.check(Role.BASE, tiny.resolve("sdxl_tiny_single_file.safetensors")));
    }

    @Test
    void wrongKindsAreNamedAndNotRemembered() throws Exception {
        Path fx = fixtures();
        Path tiny = fx.resolve("pipeline_sdxl_tiny");
        ModelManager mm = new ModelManager(dir, Manifest.bundled());
        assertBad(mm.useOwn(Role.IDENTITYNET, tiny.resolve("vae/diffusion_pytorch_model.safetensors")), "not a ControlNet (it holds a VAE");
        assertBad(FileCheck.check(Role.IDENTITYNET, tiny.resolve("unet")), "not a ControlNet");
        assertBad(FileCheck.check(Role.BASE, tiny.resolve("vae/diffusion_pytorch_model.safetensors")), "VAE");
        assertBad(FileCheck.check(Role.BASE, tiny.resolve("ControlNetModel")), "missing");
        assertBad(FileCheck.check(Role.FACE_DETECTOR, fx.resolve("face_analysis/rec_tiny.onnx")), "recogniser");
        assertBad(FileCheck.check(Role.FACE_RECOGNISER, fx.resolve("face_analysis/det_tiny.onnx")), "detector");
        assertBad(FileCheck.check(Role.ADAPTER, tiny.resolve("unet/diffusion_pytorch_model.safetensors")), "torch");
        assertBad(FileCheck.check(Role.FACE_DETECTOR, tiny.resolve("model_index.json")), "ONNX Runtime cannot open");
        assertBad(FileCheck.check(Role.ADAPTER, dir.resolve("nothing.bin")), "does not exist");
        assertFalse(mm.isOwn(Role.IDENTITYNET));
        assertFalse(Files.exists(dir.resolve(ModelManager.SETTINGS)));
    }

    @Test
    void sd15CheckpointIsRecognised() throws Exception {
        // a minimal safetensors with SD 1.x single-file key names
        String header = "{\"model.diffusion_model.input_blocks.0.0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"cond_stage_model.transformer.text_model.final_layer_norm.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1f).putFloat(2f);
        Path f = dir.resolve("sd15.safetensors");
        Files.write(f, b.array());
        assertBad(FileCheck.check(Role.BASE, f), "SD 1.x/2.x");
    }

    @Test
    void downloadFillsTheFolderFromAMirror() throws Exception {
        try (LoopbackHub hub = new LoopbackHub()) {
            // a one-role manifest served by the loopback hub (the server answers every /ok/... path)
            String json = "{\"roles\":[" + roleJson("base") + "," + roleJson("identitynet") + "," + roleJson("adapter") + ","
                    + roleJson("face-detector") + "," + roleJson("face-recogniser") + "," + roleJson("style-adapter") + ","
                    + roleJson("style-encoder") + "," + roleJson("reference-adapter") + "," + roleJson("reference-encoder") + "],"
                    + "\"licences\":{\"x\":\"test licence\"},\"files\":[{\"role\":\"adapter\",\"repo\":\"ok/repo\",\"path\":\"ip-adapter.bin\","
                    + "\"target\":\"InstantID/ip-adapter.bin\",\"size\":" + hub.payload.length + ",\"sha256\":\"" + hub.sha256 + "\",\"licence\":\"x\"}]}";
            Manifest m = Manifest.parse(new java.io.StringReader(json), "test");
            String old = System.getProperty("instantid.hub");
            System.setProperty("instantid.hub", hub.base());
            try {
                ModelManager mm = new ModelManager(dir, m);
                assertEquals(1, mm.toDownload().size());
                List<Downloader.Result> r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                        () -> mm.download(new Downloader(mm.hub()).withLoopbackHttp(), null, CancelToken.NONE));
                assertEquals("manifest sha256", r.get(0).verifiedBy());
                assertArrayEquals(hub.payload, Files.readAllBytes(dir.resolve("InstantID/ip-adapter.bin")));
                assertTrue(mm.toDownload().isEmpty());
            } finally {
                if (old == null) System.clearProperty("instantid.hub");
                else System.setProperty("instantid.hub", old);
            }
        }
    }

    static String roleJson(String id) {
        return "{\"role\":\"" + id + "\",\"kind\":\"k\",\"title\":\"" + id + "\",\"help\":\"h\",\"default\":\"d/" + id + "\"}";
    }

    private static void assertOk(FileCheck.Result r) {
        assertTrue(r.ok(), r.message());
    }

    private static void assertBad(FileCheck.Result r, String mentions) {
        assertFalse(r.ok(), "accepted: " + r.message());
        assertTrue(r.message().contains(mentions), "'" + mentions + "' not in: " + r.message());
    }
}
