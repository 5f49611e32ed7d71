package instantid.fiji;

import instantid.face.Device;
import instantid.face.FaceAnalysis;
import instantid.face.FaceModelFiles;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.Progress;

import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.prefs.PrefService;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/** The default {@link InstantIdService}: models cached per settings, released on dispose. */
@Plugin(type = Service.class)
public class DefaultInstantIdService extends AbstractService implements InstantIdService {

    @Parameter(required = false)
    private PrefService prefs;

    @Parameter(required = false)
    private LogService log;

    private FijiSettings settings;
    private InstantIdPipeline pipeline;
    private FijiSettings pipelineSettings;
    private FaceAnalysis faces;
    private FijiSettings facesSettings;
    /** The run lock (fair: commands run in the order they asked). */
    private final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock(true);

    @Override
    public <T> T exclusive(java.util.function.Supplier<T> work, instantid.common.CancelToken cancel) {
        boolean waited = false;
        try {
            while (!running.tryLock(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (cancel != null && cancel.isCancelled()) {
                    throw new java.util.concurrent.CancellationException("cancelled while waiting for the running InstantID command");
                }
                if (!waited) ij.IJ.showStatus("InstantID: waiting for the running InstantID command to finish");
                waited = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while waiting for the running InstantID command");
        }
        try {
            return work.get();
        } finally {
            running.unlock();
        }
    }

    @Override
    public synchronized FijiSettings settings() {
        if (settings == null) {
            settings = prefs == null ? FijiSettings.EMPTY : FijiSettings.load(prefs);
        }
        return settings;
    }

    @Override
    public synchronized void setSettings(FijiSettings s) {
        settings = s;
        if (prefs != null) s.save(prefs);
    }

    @Override
    public synchronized InstantIdPipeline pipeline(Progress progress) {
        FijiSettings s = settings();
        if (pipeline != null && s.samePipeline(pipelineSettings)) return pipeline;
        String missing = s.modelPaths().missingForInstantId();
        if (missing != null) {
            throw new IllegalArgumentException(missing + "\nSet the locations in Plugins > InstantID > Settings / Models...");
        }
        requireTrustedWhenManaged(s);
        closePipeline();
        // before the engine first loads: installed GPU natives are checked and switched to
        instantid.models.NativesActivation gpu = instantid.models.NativesActivation.atStart();
        if (log != null) log.info("InstantID: " + gpu.message());
        progress.status("InstantID: loading models");
        pipeline = InstantIdPipeline.load(s.modelPaths(), s.runtime(), progress);
        pipelineSettings = s;
        if (log != null) log.info("InstantID: loaded pipeline on " + pipeline.deviceDescription());
        return pipeline;
    }

    /**
     * Models that the model manager downloaded are checked as the CLI checks them before use: pinned
     * sizes, and the hashes recorded at first use (a file changed since its download is refused).
     * Files the user pointed at elsewhere are the user's own.
     */
    private static void requireTrustedWhenManaged(FijiSettings s) {
        try {
            instantid.models.ModelManager mm = instantid.models.ModelManager.open();
            java.nio.file.Path base = s.modelPaths().base();
            if (base != null && base.equals(mm.location(instantid.models.Role.BASE))) mm.requireTrusted();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("model folder: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized FaceAnalysis faces() {
        FijiSettings s = settings();
        if (faces != null && s.sameFaces(facesSettings)) return faces;
        String missing = s.missingFaceModels();
        if (missing != null) {
            throw new IllegalArgumentException(missing + "\nSet the folder in Plugins > InstantID > Settings / Models...");
        }
        closeFaces();
        FaceModelFiles files = FaceModelFiles.in(s.faceModels());
        faces = new FaceAnalysis(files.detector(), files.recognizer(), Device.parse(s.device()),
                m -> { if (log != null) log.info("InstantID: " + m); });
        facesSettings = s;
        return faces;
    }

    @Override
    public synchronized boolean pipelineLoaded() {
        return pipeline != null;
    }

    @Override
    public synchronized boolean facesLoaded() {
        return faces != null;
    }

    @Override
    public void release() {
        exclusive(() -> {
            synchronized (this) {
                closePipeline();
                closeFaces();
            }
            return null;
        }, instantid.common.CancelToken.NONE);
    }

    @Override
    public void dispose() {
        boolean locked = false;
        try {
            locked = running.tryLock(30, java.util.concurrent.TimeUnit.SECONDS); // a run in flight gets time to end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            synchronized (this) {
                closePipeline();
                closeFaces();
            }
        } finally {
            if (locked) running.unlock();
        }
        super.dispose();
    }

    private void closePipeline() {
        if (pipeline != null) {
            try {
                pipeline.close();
            } finally {
                pipeline = null;
                pipelineSettings = null;
            }
        }
    }

    private void closeFaces() {
        if (faces != null) {
            try {
                faces.close();
            } finally {
                faces = null;
                facesSettings = null;
            }
        }
    }
}
