package instantid.models;

import java.io.IOException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * At every start, before the engine loads: when {@link GpuNatives} installed the CUDA natives and
 * every file still has its recorded SHA-256, point DJL at them ({@code PYTORCH_LIBRARY_PATH},
 * {@code PYTORCH_VERSION}, {@code PYTORCH_FLAVOR} as system properties, which DJL reads after the
 * environment, and {@code jna.library.path} for its GPU count); otherwise leave the bundled CPU
 * natives in use and say why. A {@code PYTORCH_LIBRARY_PATH} the user set wins and is left alone.
 *
 * @param state   what happened
 * @param message one line for logs, {@code doctor} and Settings
 */
public record NativesActivation(State state, String message) {

    public enum State { NOT_INSTALLED, ACTIVE, USER_OVERRIDE, REFUSED }

    private static volatile NativesActivation last;

    /** The outcome of this JVM's activation (null when it has not run). */
    public static NativesActivation last() {
        return last;
    }

    /** Activates the standard install once per JVM (later calls return the first outcome). */
    public static synchronized NativesActivation atStart() {
        if (last == null) last = activate(GpuNatives.standard());
        return last;
    }

    /** Checks {@code natives}' install and, when intact, sets the properties DJL reads. */
    public static NativesActivation activate(GpuNatives natives) {
        String user = System.getenv("PYTORCH_LIBRARY_PATH");
        if (user != null && !user.isBlank()) {
            return new NativesActivation(State.USER_OVERRIDE, "PYTORCH_LIBRARY_PATH=" + user + " (set by you) is used");
        }
        NativesRecord rec;
        try {
            rec = natives.installed();
        } catch (IOException e) {
            return new NativesActivation(State.REFUSED, e.getMessage() + "; CPU natives in use");
        }
        if (rec == null) {
            return new NativesActivation(State.NOT_INSTALLED, "GPU natives not installed (models --install-gpu, or"
                    + " Settings / Models > Install GPU support)");
        }
        try {
            if (!natives.classifier().equals(rec.classifier()) || !NativeInfo.LIBTORCH_VERSION.equals(rec.version())) {
                return new NativesActivation(State.REFUSED, "the GPU natives in " + natives.folder() + " are for "
                        + rec.classifier() + " / PyTorch " + rec.version() + ": reinstall them (models --install-gpu)");
            }
            String bad = rec.verify(natives.folder());
            if (bad != null) {
                return new NativesActivation(State.REFUSED, "GPU natives NOT used: " + bad + ". Reinstall them"
                        + " (models --install-gpu) or remove them (models --uninstall-gpu); CPU natives in use");
            }
            Path cudart = Files.isDirectory(natives.cudartFolder()) ? natives.cudartFolder() : natives.linkCudart(rec);
            System.setProperty("PYTORCH_LIBRARY_PATH", natives.folder().toString());
            System.setProperty("PYTORCH_VERSION", rec.version());
            System.setProperty("PYTORCH_FLAVOR", rec.flavor());
            if (cudart != null) {
                String jna = System.getProperty("jna.library.path");
                System.setProperty("jna.library.path", jna == null || jna.isBlank() ? cudart.toString()
                        : cudart + File.pathSeparator + jna);
            }
            return new NativesActivation(State.ACTIVE, "PyTorch " + rec.version() + " " + rec.flavor() + " natives from "
                    + natives.folder() + " (" + rec.files().size() + " files, SHA-256 checked at start)");
        } catch (IOException e) {
            return new NativesActivation(State.REFUSED, "GPU natives NOT used: cannot read " + natives.folder() + " ("
                    + e.getMessage() + "); CPU natives in use");
        }
    }
}
