package instantid.fiji;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.prefs.PrefService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.prefs.Preferences;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tests never write the user's real preferences or home: the test JVM's {@code user.home} and
 * java.util.prefs roots are temporary folders under target/ (pom.xml, surefire), and the Fiji
 * settings saved through SciJava's PrefService land there, while the real
 * {@code ~/.java/.userPrefs/instantid} stays byte for byte as it was. (.ci/run also compares the
 * real folder before and after the whole {@code mvn verify}.)
 */
class PrefsIsolationTest {

    @Test
    void fijiSettingsGoToTheTemporaryPrefsRootNeverTheRealOne() throws Exception {
        String realHome = System.getProperty("instantid.realHome");
        String home = System.getProperty("user.home");
        assertTrue(Path.of(home).toAbsolutePath().toString().contains("target"),
                "the test JVM's user.home must be a temporary folder under target/, not " + home);
        if (realHome != null) assertNotEquals(Path.of(realHome).toAbsolutePath(), Path.of(home).toAbsolutePath());
        String userRoot = System.getProperty("java.util.prefs.userRoot");
        assertTrue(userRoot != null && userRoot.contains("target"), "java.util.prefs.userRoot is set under target/: " + userRoot);

        Path real = Path.of(realHome != null ? realHome : System.getenv().getOrDefault("HOME", "/nonexistent"),
                ".java", ".userPrefs", "instantid");
        Map<String, String> before = snapshot(real);

        String marker = "/isolation-test/" + System.nanoTime();
        try (Context ctx = new Context(PrefService.class)) {
            PrefService prefs = ctx.service(PrefService.class);
            new FijiSettings(Path.of(marker), null, null, null, "cpu", "fp32").save(prefs);
            assertEquals(Path.of(marker), FijiSettings.load(prefs).modelFolder());
        }
        Preferences.userRoot().node("instantid/fiji/FijiSettings").flush();

        Path testRoot = Path.of(userRoot, ".java", ".userPrefs", "instantid");
        assertTrue(snapshot(testRoot).values().stream().anyMatch(v -> v.contains(marker)),
                "the settings just saved are in the temporary prefs root " + testRoot);
        assertEquals(before, snapshot(real), "the real " + real + " changed during the test");
    }

    /** Every file under {@code dir}: relative path → size and content. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.isDirectory(dir)) return m;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) m.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return m;
    }
}
