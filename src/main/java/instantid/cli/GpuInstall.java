package instantid.cli;

import instantid.models.CudaHost;
import instantid.models.Downloader;
import instantid.models.GpuNatives;
import instantid.models.NativesRecord;
import instantid.models.Progress;

import java.io.PrintStream;

/** {@code models --install-gpu} / {@code --uninstall-gpu}: the headless face of {@link GpuNatives}. */
final class GpuInstall {

    private GpuInstall() {
    }

    static int run(GpuNatives natives, boolean install, PrintStream out) throws Exception {
        if (!install) {
            boolean removed = natives.uninstall();
            out.println(removed ? "GPU natives removed from " + natives.folder() + ": the CPU natives are used from the next start"
                    : "no GPU natives were installed (" + natives.folder() + ")");
            return 0;
        }
        CudaHost host = CudaHost.probe();
        out.print(host.describe());
        String no = host.unsupportedReason();
        if (no != null) {
            System.err.println("GPU support not installed: " + no);
            return 2;
        }
        if (!natives.platformSupported()) {
            System.err.println("GPU support not installed: DJL publishes no CUDA natives for " + natives.classifier());
            return 2;
        }
        out.println("Downloading PyTorch " + instantid.models.NativeInfo.LIBTORCH_VERSION + " " + GpuNatives.FLAVOR
                + " natives from " + natives.base() + " into " + natives.folder()
                + " (about 2-3 GB; interrupted downloads resume)");
        NativesRecord r = natives.install(Downloader.logEvery10Percent(out), out::println, Interrupt.token());
        out.println("Installed " + r.files().size() + " files, " + Progress.bytes(r.totalBytes())
                + "; their SHA-256 are recorded in " + natives.folder().resolve(NativesRecord.FILE)
                + " and checked at every start (publish.djl.ai publishes none to compare with).");
        out.println("The GPU is used from the next start; check with: instantid doctor");
        return 0;
    }
}
