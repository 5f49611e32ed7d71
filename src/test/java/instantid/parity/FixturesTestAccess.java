package instantid.parity;

import java.nio.file.Path;

/** Lets tests in other packages use the package-private fixture lookup of {@link FixturesTest}. */
public final class FixturesTestAccess {

    private FixturesTestAccess() {
    }

    public static Path requireFixtures() {
        return FixturesTest.requireFixtures();
    }
}
