package instantid.face;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The face_analysis fixture folder, or a skip naming the path (same rule as
 * instantid.parity.FixturesTest.requireFixtures, which is package-private there).
 */
public final class FaceFixtures {

    private FaceFixtures() {
    }

    public static Path root() {
        Path f = Path.of(System.getProperty("instantid.fixtures", "../shared/fixtures")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(f), "parity fixtures not found at " + f + ": skipped");
        return f;
    }

    public static Path faceModels() {
        return root().resolve("face_analysis");
    }
}
