package instantid.parity;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the parity command over ../shared/fixtures: {@code mvn verify} fails when parity does. */
public class FixturesTest {

    /** The fixtures folder (system property from the pom, else ../shared/fixtures). */
    public static Path fixtures() {
        String p = System.getProperty("instantid.fixtures", "../shared/fixtures");
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** Skips the calling test with a message naming the path when the fixtures are absent. */
    public static Path requireFixtures() {
        Path f = fixtures();
        Assumptions.assumeTrue(Files.isDirectory(f), "parity fixtures not found at " + f + ": skipped");
        return f;
    }

    @Test
    void everyImplementedKindPasses() throws Exception {
        Path f = requireFixtures();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Parity.Summary s = Parity.run(List.of(f), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(s.passed() + s.failed() + s.skipped() > 0, "no cases found under " + f);
        assertEquals(0, s.failed(), out);
        // every kind that has a runner must really run: a SKIP is only for kinds not implemented
        for (String line : s.lines()) {
            if (line.startsWith("SKIP")) {
                assertTrue(line.contains(Parity.NO_RUNNER), line);
            }
        }
    }
}
