package instantid.cli;

import instantid.models.NativesActivation;

/**
 * Engine defaults for headless runs: DJL stays offline (the CPU natives come from the jar next to
 * ours), its logging stays quiet unless asked for, and installed GPU natives are checked and used
 * ({@link NativesActivation}).
 */
public final class Engines {

    private Engines() {
    }

    public static void configureDefaults() {
        if (System.getProperty("offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("offline", "true");
        }
        NativesActivation a = NativesActivation.atStart();
        if (a.state() == NativesActivation.State.REFUSED) System.err.println("warning: " + a.message());
    }
}
