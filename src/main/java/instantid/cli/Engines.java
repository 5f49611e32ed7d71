package instantid.cli;

/**
 * Engine defaults for headless runs: DJL stays offline (the CPU natives come from the jar next to
 * ours), and its logging stays quiet unless asked for.
 */
public final class Engines {

    private Engines() {
    }

    public static void configureDefaults() {
        if (System.getProperty("offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("offline", "true");
        }
    }
}
