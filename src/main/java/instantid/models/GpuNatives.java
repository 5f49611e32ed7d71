package instantid.models;

import instantid.common.CancelToken;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * "Install GPU support": DJL's own PyTorch {@value NativeInfo#LIBTORCH_VERSION} CUDA 12.8 natives,
 * fetched through the project's {@link Downloader} (progress, resume, size check) from the layout
 * DJL 0.36's {@code LibUtils.downloadPyTorch} uses — {@code {base}/files.txt} lists
 * {@code cu128/<platform>/native/lib/<library>.gz}, each gunzipped — into the folder DJL itself
 * would use, {@code <engine cache>/pytorch/2.7.1-cu128-<platform>/}. The SHA-256 of every file is
 * recorded ({@link NativesRecord}) and checked at every start by {@link NativesActivation}, which
 * then points DJL at the folder. {@link #uninstall()} removes it all (back to the bundled CPU
 * natives at the next start).
 *
 * <p>The cu128 JNI glue for linux-x86_64 and win-x86_64 is inside the {@code pytorch-jni} jar; DJL
 * extracts it next to the natives at the first start with them.
 */
public final class GpuNatives {

    public static final String DEFAULT_BASE = "https://publish.djl.ai/pytorch/" + NativeInfo.LIBTORCH_VERSION;
    public static final String FLAVOR = "cu128";
    private static final String STAGING = ".instantid-download";

    private final Path engineCache;
    private final String base;
    private final String classifier;
    private int readTimeoutMs = 60_000;

    /** {@code engineCache}: DJL's engine cache folder; {@code base}: the natives' URL prefix; {@code classifier}: e.g. linux-x86_64. */
    public GpuNatives(Path engineCache, String base, String classifier) {
        this.engineCache = engineCache;
        String b = base == null || base.isBlank() ? DEFAULT_BASE : base.trim();
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        this.base = b;
        this.classifier = classifier;
    }

    /**
     * For this computer: DJL's engine cache ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR},
     * else {@code ~/.djl.ai}, as DJL decides), the base from {@code -Dinstantid.natives.base} (a
     * mirror) or publish.djl.ai, and this platform.
     */
    public static GpuNatives standard() {
        return new GpuNatives(ai.djl.util.Utils.getEngineCacheDir(), System.getProperty("instantid.natives.base"),
                platform());
    }

    /** DJL's platform classifier of this JVM (linux-x86_64, win-x86_64, ...). */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        String o = os.startsWith("win") ? "win" : os.startsWith("mac") ? "osx" : "linux";
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    /** Whether DJL publishes cu128 natives for this platform. */
    public boolean platformSupported() {
        return classifier.equals("linux-x86_64") || classifier.equals("win-x86_64");
    }

    /** The folder the natives go to (DJL's own cache layout). */
    public Path folder() {
        return engineCache.resolve("pytorch").resolve(NativeInfo.LIBTORCH_VERSION + "-" + FLAVOR + "-" + classifier);
    }

    /** A folder holding {@code libcudart.so}, linked to the natives' copy, for DJL's GPU count (JNA). */
    public Path cudartFolder() {
        return folder().resolveSibling(folder().getFileName() + "-cudart");
    }

    /** A shorter read timeout (tests: a dropped connection is noticed at once). */
    private boolean loopbackHttp;

    GpuNatives readTimeout(int ms) {
        readTimeoutMs = ms;
        return this;
    }

    /** Tests only: plain http to a loopback server (the Downloader refuses http otherwise). */
    GpuNatives loopbackHttp() {
        loopbackHttp = true;
        return this;
    }

    public String base() {
        return base;
    }

    public String classifier() {
        return classifier;
    }

    /** The install record, or null when none is installed. */
    public NativesRecord installed() throws IOException {
        return NativesRecord.read(folder());
    }

    /**
     * Downloads and installs the natives. {@code listener} gets each file's progress, {@code log}
     * one line per file; {@code cancel} is checked between chunks (a later install resumes: files
     * already fetched are kept, a partial one continues from its {@code .part}).
     */
    public NativesRecord install(Downloader.Listener listener, Consumer<String> log, CancelToken cancel)
            throws IOException {
        if (!platformSupported()) {
            throw new DownloadException(DownloadException.Kind.NOT_FOUND, "DJL publishes no CUDA natives for "
                    + classifier + ": GPU support needs Linux or Windows on x86_64 with an NVIDIA card");
        }
        Path staging = folder().resolveSibling(folder().getFileName() + STAGING);
        Files.createDirectories(staging);
        Downloader d = new Downloader(new Hub(base, null), 20_000, readTimeoutMs, 2);
        if (loopbackHttp) d = d.withLoopbackHttp();
        Path index = staging.resolve("files.txt");
        d.download(URI.create(base + "/files.txt"), index, null, -1, null, cancel);
        List<String> lines = wanted(Files.readAllLines(index, StandardCharsets.UTF_8));
        if (lines.isEmpty()) {
            throw new DownloadException(DownloadException.Kind.NOT_FOUND, base + "/files.txt lists no " + FLAVOR + "/"
                    + classifier + " natives: the mirror is incomplete or DJL moved them");
        }
        List<NativesRecord.Entry> entries = new ArrayList<>();
        int i = 0;
        for (String line : lines) {
            i++;
            if (cancel.isCancelled()) throw new CancellationException("GPU natives install cancelled");
            String file = line.substring(line.lastIndexOf('/') + 1, line.length() - 3);
            String name = URLDecoder.decode(file, StandardCharsets.UTF_8);
            URI url = URI.create(base + "/" + line);
            Path out = staging.resolve(name);
            Path mark = staging.resolve(name + ".sha256");
            if (!Files.isRegularFile(out) || !Files.isRegularFile(mark)) {
                log.accept(String.format(Locale.ROOT, "[%d/%d] %s", i, lines.size(), url));
                Path fetched = staging.resolve(name + ".gz");
                Downloader.Result r = d.download(url, fetched, null, -1, listener, cancel);
                gunzip(fetched, out);
                Files.writeString(mark, r.sha256() + " " + Sha256.of(out));
                Files.deleteIfExists(fetched);
            } else {
                log.accept(String.format(Locale.ROOT, "[%d/%d] %s already fetched", i, lines.size(), name));
            }
            String[] sums = Files.readString(mark).trim().split(" ");
            entries.add(new NativesRecord.Entry(name, url.toString(), sums[0], sums[1], Files.size(out)));
        }
        for (NativesRecord.Entry e : entries) Files.delete(staging.resolve(e.name() + ".sha256"));
        Files.delete(index);
        NativesRecord rec = new NativesRecord(NativeInfo.LIBTORCH_VERSION, FLAVOR, classifier, base,
                Instant.now().toString(), "publish.djl.ai publishes no checksums: these SHA-256 are of the files as"
                + " fetched (trust on first use) and are checked at every start", List.copyOf(entries));
        rec.write(staging);
        deleteTree(folder()); // a cache DJL may have filled itself: replaced by the checked copy
        deleteTree(cudartFolder());
        Files.move(staging, folder(), StandardCopyOption.ATOMIC_MOVE);
        linkCudart(rec);
        return rec;
    }

    /** The lines of DJL's index this platform needs: its cu128 libraries (the JNI is in the pytorch-jni jar). */
    List<String> wanted(List<String> index) {
        List<String> out = new ArrayList<>();
        String prefix = FLAVOR + "/" + classifier + "/";
        for (String l : index) {
            String s = l.trim();
            if (s.startsWith(prefix) && s.endsWith(".gz") && !s.contains("..")) out.add(s);
        }
        return out;
    }

    /**
     * DJL counts GPUs by loading {@code cudart} through JNA; the natives hold it under a hashed name
     * ({@code libcudart-<hash>.so.12}), so a {@code libcudart.so} link in a folder of its own (not
     * inside the natives folder, whose every library DJL loads) lets it see the GPU without a CUDA
     * toolkit. Returns the folder, or null when not needed / not possible.
     */
    Path linkCudart(NativesRecord rec) throws IOException {
        if (!classifier.startsWith("linux")) return null;
        for (NativesRecord.Entry e : rec.files()) {
            if (e.name().startsWith("libcudart")) {
                Path dir = cudartFolder();
                Files.createDirectories(dir);
                Path link = dir.resolve("libcudart.so");
                Files.deleteIfExists(link);
                try {
                    Files.createSymbolicLink(link, folder().resolve(e.name()));
                } catch (UnsupportedOperationException | IOException ex) {
                    Files.copy(folder().resolve(e.name()), link);
                }
                return dir;
            }
        }
        return null;
    }

    /** Removes the natives, the record, a partial download and the cudart link: the CPU natives are used at the next start. */
    public boolean uninstall() throws IOException {
        boolean any = Files.exists(folder()) || Files.exists(cudartFolder());
        Path staging = folder().resolveSibling(folder().getFileName() + STAGING);
        any |= Files.exists(staging);
        deleteTree(folder());
        deleteTree(cudartFolder());
        deleteTree(staging);
        return any;
    }

    private static void gunzip(Path gz, Path out) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING); // the gzip CRC-32 and length are checked at its end
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(gz);
            throw new DownloadException(DownloadException.Kind.CHECKSUM, gz.getFileName() + " is not a valid gzip file ("
                    + e.getMessage() + "): it was discarded; run the install again", e);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
