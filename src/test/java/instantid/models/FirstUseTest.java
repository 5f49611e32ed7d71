package instantid.models;

import instantid.common.CancelToken;
import instantid.common.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files without a published hash are pinned at their first download and checked on every later load. */
class FirstUseTest {

    @TempDir
    Path dir;

    @Test
    void theFirstDownloadIsRecordedAndALaterChangeIsCaught() throws Exception {
        try (LoopbackHub hub = new LoopbackHub()) {
            String roles = String.join(",", java.util.Arrays.stream(Role.values()).map(r -> ModelManagerTest.roleJson(r.id())).toList());
            String json = "{\"roles\":[" + roles + "],\"licences\":{},\"files\":["
                    + "{\"role\":\"identitynet\",\"repo\":\"ok/repo\",\"path\":\"config.json\",\"target\":\"cn/config.json\","
                    + "\"size\":null,\"sha256\":null,\"maxSize\":" + (hub.payload.length + 1) + "},"
                    + "{\"role\":\"adapter\",\"repo\":\"ok/repo\",\"path\":\"ip-adapter.bin\",\"target\":\"ip-adapter.bin\","
                    + "\"size\":" + hub.payload.length + ",\"sha256\":\"" + hub.sha256 + "\"}]}";
            Manifest m = Manifest.parse(new StringReader(json), "test");
            ModelManager mm = new ModelManager(dir, m);
            Downloader d = new Downloader(new Hub(hub.base(), null), 5_000, 5_000, 0).withLoopbackHttp();
            mm.download(d, null, CancelToken.NONE);
            assertTrue(Files.readString(dir.resolve(FirstUse.FILE)).contains("cn/config.json=" + hub.sha256));
            ModelFile cfg = m.files().get(0);
            assertTrue(mm.trustLine(cfg).contains(hub.sha256) && mm.trustLine(cfg).contains("first use"), mm.trustLine(cfg));
            assertTrue(mm.report().contains("trusted on first use"), mm.report());
            assertEquals(List.of(), new ModelManager(dir, m).checkTrust(true), "a later load trusts what was recorded");

            Path f = dir.resolve("cn/config.json");
            byte[] b = Files.readAllBytes(f);
            b[0] ^= 1;
            Files.write(f, b);
            ModelManager later = new ModelManager(dir, m);
            List<String> problems = later.checkTrust(false);
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains(f.toString()) && problems.get(0).contains("changed since it was first used"));
            UserException e = assertThrows(UserException.class, later::requireTrusted);
            assertTrue(e.getMessage().contains("cn/config.json"), e.getMessage());

            // a pinned file of the wrong size, and with the full check the wrong hash
            Path bin = dir.resolve("ip-adapter.bin");
            Files.write(bin, new byte[10]);
            assertTrue(later.checkTrust(false).stream().anyMatch(p -> p.contains("ip-adapter.bin") && p.contains("10 bytes")));
            byte[] same = Files.readAllBytes(bin);
            Files.write(bin, new byte[hub.payload.length]);
            assertTrue(later.checkTrust(true).stream().anyMatch(p -> p.contains("not the published " + hub.sha256)),
                    later.checkTrust(true).toString());
            assertEquals(10, same.length);
        }
    }

    @Test
    void theBundledManifestPinsEveryFileItCan() {
        Manifest m = Manifest.bundled();
        // of the required models only IdentityNet's config.json has no published hash; the optional
        // IP-Adapter files (styles, references) have none either: all of them are trusted on first use
        long unpinned = m.files().stream().filter(f -> !f.pinned() && !f.role().optional()).count();
        assertEquals(1, unpinned, "only IdentityNet's config.json has no published hash");
        for (ModelFile f : m.files()) {
            if ("model".equals(f.repoType()) && !f.role().optional()) {
                assertTrue(f.revision() != null && f.revision().length() == 40, f.source());
            }
            if (f.pinned()) assertTrue(f.size() > 0, f.source());
            else assertTrue(f.maxSize() > 0, f.source() + " has a size cap");
        }
        ModelFile glint = m.files(Role.FACE_RECOGNISER).get(0);
        assertEquals(2, glint.pins().size());
        assertEquals(260694151L, glint.pins().get(1).size());
    }
}
