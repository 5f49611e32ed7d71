package instantid.models;

import instantid.common.CancelToken;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Downloads one file over HTTPS the safe way: only from the hub and its CDN ({@link HubConnection}
 * under the {@link HostPolicy}: https only, no redirect to another host or scheme), streamed into
 * {@code <target>.part} ({@link PartFile}), resumed with a {@code Range} + {@code If-Range} request
 * when a part is already there (a changed file restarts), never reading past the expected size,
 * SHA-256 checked against the pinned versions ({@link Expected}), and only then moved atomically to
 * its final name. Progress goes to a {@link Listener}; the {@link CancelToken} is checked between
 * chunks and between retries (the part is kept so the next run resumes). Failures are
 * {@link DownloadException}s whose message says what to do.
 */
public final class Downloader {

    /** Receives progress, at most a few times a second and once at the end. */
    public interface Listener {
        void progress(Progress p);
    }

    /** What was downloaded and how it was verified ({@code manifest sha256}, {@code hub sha256}, {@code size}, {@code none}). */
    public record Result(Path file, long size, String sha256, String verifiedBy, boolean resumed) {
    }

    /** The most bytes a file of unknown size may have when the server sends no length either. */
    static final long UNKNOWN_SIZE_CAP = 16L << 30;

    private final Hub hub;
    private final HostPolicy policy;
    private final HubConnection connection;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final int retries;

    public Downloader(Hub hub) {
        this(hub, 20_000, 60_000, 2);
    }

    /** {@code retries}: how often a connection lost mid-file is resumed automatically before giving up. */
    public Downloader(Hub hub, int connectTimeoutMs, int readTimeoutMs, int retries) {
        this(hub, new HostPolicy(hub.base(), false), connectTimeoutMs, readTimeoutMs, retries);
    }

    private Downloader(Hub hub, HostPolicy policy, int connectTimeoutMs, int readTimeoutMs, int retries) {
        this.hub = hub;
        this.policy = policy;
        this.connection = new HubConnection(hub, policy, connectTimeoutMs, readTimeoutMs);
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.retries = retries;
    }

    public Hub hub() {
        return hub;
    }

    /** For tests only (package-private): the same downloader, also allowed plain http to the loopback interface. */
    Downloader withLoopbackHttp() {
        return new Downloader(hub, policy.withLoopbackHttp(), connectTimeoutMs, readTimeoutMs, retries);
    }

    /** A listener for headless use: one line per 10% (per 100 MB when the size is unknown). */
    public static Listener logEvery10Percent(PrintStream out) {
        return new Listener() {
            private String name;
            private long lastStep = -1;

            @Override
            public void progress(Progress p) {
                if (!p.name().equals(name)) {
                    name = p.name();
                    lastStep = -1;
                }
                long step = p.total() > 0 ? (long) Math.floor(p.fraction() * 10) : p.bytes() / 100_000_000L;
                if (step > lastStep) {
                    lastStep = step;
                    out.println("  " + p.line());
                }
            }
        };
    }

    /** Downloads a manifest file from the hub to {@code target}. */
    public Result fetch(ModelFile f, Path target, Listener listener, CancelToken cancel) throws IOException {
        long cap = f.maxSize() >= 0 ? f.maxSize() : UNKNOWN_SIZE_CAP;
        return download(hub.url(f), target, new Expected(f.pins(), cap), listener, cancel);
    }

    /**
     * Downloads {@code uri} to {@code target}. {@code sha256} (lower-case hex) and {@code size} are
     * what is known for sure (null / -1 when not); without a SHA-256 the hub's own (the
     * {@code X-Linked-Etag} of a large-file-storage file) is used when it sends one.
     */
    public Result download(URI uri, Path target, String sha256, long size, Listener listener,
                           CancelToken cancel) throws IOException {
        List<Pin> pins = sha256 == null && size < 0 ? List.of() : List.of(new Pin(size, sha256, null));
        return download(uri, target, new Expected(pins, UNKNOWN_SIZE_CAP), listener, cancel);
    }

    private Result download(URI uri, Path target, Expected ex, Listener listener, CancelToken cancel) throws IOException {
        CancelToken c = cancel == null ? CancelToken.NONE : cancel;
        PartFile part = new PartFile(target);
        for (int attempt = 0; ; attempt++) {
            try {
                return attempt(uri, part, ex, listener, c);
            } catch (DownloadException e) {
                boolean resumable = e.kind() == DownloadException.Kind.NETWORK && part.exists();
                if (!resumable || attempt >= retries) throw e;
                pause(Math.min(8000, 500L << attempt), c);
            }
        }
    }

    private Result attempt(URI uri, PartFile part, Expected ex, Listener listener, CancelToken cancel) throws IOException {
        String name = part.name();
        long have = part.size();
        long maxSize = ex.maxSize();
        if (maxSize >= 0 && have > maxSize) {
            part.discard();
            have = 0;
        }
        String validator = have > 0 ? part.validator() : null;
        HubConnection.Response r = connection.open(uri, have, validator);
        try {
            List<Pin> pins = ex.hasSha() ? ex.pins()
                    : r.hubSha256() != null ? List.of(new Pin(maxSize, r.hubSha256(), null)) : ex.pins();
            String verifiedBy = ex.hasSha() ? "manifest sha256" : r.hubSha256() != null ? "hub sha256" : maxSize >= 0 ? "size" : "none";
            int code = r.code();
            long total;
            boolean append;
            if (code == 416) {
                long complete = HubConnection.totalFromContentRange(r.conn().getHeaderField("Content-Range"));
                r.conn().disconnect();
                if (complete >= 0 && complete == have) {
                    return finish(part, Sha256.of(part.path()), have, pins, ex, verifiedBy, uri, true);
                }
                part.discard();
                return attempt(uri, part, ex, listener, cancel);
            } else if (code == 206) {
                String cr = r.conn().getHeaderField("Content-Range");
                long start = HubConnection.startFromContentRange(cr);
                if (start != have) {
                    r.conn().disconnect();
                    part.discard();
                    throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": the server resumed at byte "
                            + start + " instead of " + have + " (" + cr + "); the partial file was discarded, try again");
                }
                total = HubConnection.totalFromContentRange(cr);
                append = true;
            } else {
                // 200: the whole file (the server ignored the range, was sent none, or the file changed: If-Range)
                have = 0;
                long len = r.conn().getContentLengthLong();
                total = len >= 0 ? len : r.hubSize();
                append = false;
                part.startedWith(HubConnection.validator(r.conn()));
            }
            if (total >= 0 && !ex.sizeAllowed(total)) {
                throw new DownloadException(DownloadException.Kind.SIZE, uri + ": the server offers " + total
                        + " bytes but the manifest says " + ex.sizes() + ": the file changed upstream or the mirror serves another file;"
                        + " nothing was downloaded");
            }
            long cap = maxSize >= 0 ? maxSize : total >= 0 ? total : ex.cap();
            Path dir = part.path().getParent();
            if (total >= 0) {
                long free = Files.getFileStore(dir).getUsableSpace();
                if (total - have > free) {
                    throw new DownloadException(DownloadException.Kind.DISK_FULL, "not enough disk space for " + name + ": "
                            + Progress.bytes(total - have) + " needed, " + Progress.bytes(free) + " free in " + dir
                            + ". Free space or choose another models folder (--dir, -Dinstantid.models, INSTANTID_MODELS)");
                }
            }
            MessageDigest md = Sha256.digest();
            if (append) Sha256.update(md, part.path(), have);
            long bytes = part.write(new PartFile.Body(r.conn().getInputStream(), append, have, total, cap, uri, readTimeoutMs),
                    md, listener, cancel);
            return finish(part, Sha256.hex(md), bytes, pins, ex, verifiedBy, uri, append);
        } finally {
            r.conn().disconnect();
        }
    }

    /** Verifies the complete part (a mismatch discards it) and gives it its final name. */
    private static Result finish(PartFile part, String actual, long bytes, List<Pin> pins, Expected ex,
                                 String verifiedBy, URI uri, boolean resumed) throws IOException {
        String by;
        try {
            by = ex.verify(actual, bytes, pins, verifiedBy, uri, part.name());
        } catch (DownloadException e) {
            part.discard();
            throw e;
        }
        return new Result(part.install(), bytes, actual, by, resumed);
    }

    private static void pause(long ms, CancelToken cancel) {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < end) {
            if (cancel.isCancelled()) throw new CancellationException("download cancelled");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("download interrupted");
            }
        }
    }
}
