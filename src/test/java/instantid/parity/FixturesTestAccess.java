package instantid.parity;

import java.nio.file.Path;

/** Gives tests in other packages the fixtures folder (skipping with a message when it is absent). */
public final class FixturesTestAccess {

    private FixturesTestAccess() {
    }

    public static Path requireFixtures() {
        return FixturesTest.requireFixtures();
    }
}
