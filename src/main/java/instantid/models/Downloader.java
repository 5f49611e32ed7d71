package instantid.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Downloads one file over HTTPS the safe way: only from the hub and its CDN ({@link HostPolicy}:
 * https only, no redirect to another host or scheme), streamed into {@code <target>.part}, resumed
 * with a {@code Range} + {@code If-Range} request when a part is already there (the validator of
 * the response that began it is kept in {@code <target>.part.validator}; a changed file restarts),
 * never reading past the expected size, SHA-256 checked against the pinned versions, and only then moved
 * atomically to its final name — a half-written file never carries the final name. Progress goes
 * to a {@link Listener}; a {@code cancel} supplier is checked between chunks (the part is kept so
 * the next run resumes). Failures are {@link DownloadException}s whose message says what to do.
 */
public final class Downloader {

    /** Receives progress, at most a few times a second and once at the end. */
    public interface Listener {
        void progress(Progress p);
    }

    /** What was downloaded and how it was verified ({@code manifest sha256}, {@code hub sha256}, {@code size}, {@code none}). */
    public record Result(Path file, long size, String sha256, String verifiedBy, boolean resumed) {
    }

    private static final int CHUNK = 1 << 16;
    private static final int MAX_REDIRECTS = 10;

    /** The most bytes a file of unknown size may have when the server sends no length either. */
    static final long UNKNOWN_SIZE_CAP = 16L << 30;

    /** What a download must match: its accepted versions (may be empty) and the most bytes it may have. */
    private record Expect(List<Pin> pins, long cap) {
        boolean hasSha() {
            return pins.stream().anyMatch(p -> p.sha256() != null);
        }

        /** The largest pinned size, or -1 when no version has one. */
        long maxSize() {
            return pins.stream().mapToLong(Pin::size).max().orElse(-1);
        }

        boolean sizeAllowed(long n) {
            return maxSize() < 0 || pins.stream().anyMatch(p -> p.size() == n);
        }

        String sizes() {
            return pins.stream().filter(p -> p.size() >= 0).map(p -> Long.toString(p.size())).distinct()
                    .collect(java.util.stream.Collectors.joining(" or "));
        }
    }

    private final Hub hub;
    private final HostPolicy policy;
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
    public Result fetch(ModelFile f, Path target, Listener listener, BooleanSupplier cancel) throws IOException {
        long cap = f.maxSize() >= 0 ? f.maxSize() : UNKNOWN_SIZE_CAP;
        return download(hub.url(f), target, new Expect(f.pins(), cap), listener, cancel);
    }

    /**
     * Downloads {@code uri} to {@code target}. {@code sha256} (lower-case hex) and {@code size} are
     * what is known for sure (null / -1 when not); without a SHA-256 the hub's own (the
     * {@code X-Linked-Etag} of a large-file-storage file) is used when it sends one.
     */
    public Result download(URI uri, Path target, String sha256, long size, Listener listener,
                           BooleanSupplier cancel) throws IOException {
        List<Pin> pins = sha256 == null && size < 0 ? List.of() : List.of(new Pin(size, sha256, null));
        return download(uri, target, new Expect(pins, UNKNOWN_SIZE_CAP), listener, cancel);
    }

    private Result download(URI uri, Path target, Expect ex, Listener listener, BooleanSupplier cancel) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path part = dir.resolve(target.getFileName() + ".part");
        for (int attempt = 0; ; attempt++) {
            try {
                return attempt(uri, target, part, ex, listener, cancel);
            } catch (DownloadException e) {
                boolean resumable = e.kind() == DownloadException.Kind.NETWORK && Files.exists(part);
                if (!resumable || attempt >= retries) throw e;
                pause(Math.min(8000, 500L << attempt), cancel);
            }
        }
    }

    private Result attempt(URI uri, Path target, Path part, Expect ex, Listener listener,
                           BooleanSupplier cancel) throws IOException {
        String name = target.getFileName().toString();
        Path validatorFile = part.resolveSibling(part.getFileName() + ".validator");
        long have = Files.exists(part) ? Files.size(part) : 0;
        long maxSize = ex.maxSize();
        if (maxSize >= 0 && have > maxSize) {
            discard(part);
            have = 0;
        }
        String validator = have > 0 && Files.isRegularFile(validatorFile) ? Files.readString(validatorFile).trim() : null;
        Response r = open(uri, have, validator);
        try {
            List<Pin> pins = ex.hasSha() ? ex.pins()
                    : r.hubSha256 != null ? List.of(new Pin(maxSize, r.hubSha256, null)) : ex.pins();
            String verifiedBy = ex.hasSha() ? "manifest sha256" : r.hubSha256 != null ? "hub sha256" : maxSize >= 0 ? "size" : "none";
            int code = r.code;
            long total;
            boolean append;
            if (code == 416) {
                long complete = totalFromContentRange(r.conn.getHeaderField("Content-Range"));
                r.conn.disconnect();
                if (complete >= 0 && complete == have) {
                    return finish(part, target, sha256Of(part, null, 0), have, pins, ex, verifiedBy, uri, true);
                }
                discard(part);
                return attempt(uri, target, part, ex, listener, cancel);
            } else if (code == 206) {
                String cr = r.conn.getHeaderField("Content-Range");
                long start = startFromContentRange(cr);
                if (start != have) {
                    r.conn.disconnect();
                    discard(part);
                    throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": the server resumed at byte "
                            + start + " instead of " + have + " (" + cr + "); the partial file was discarded, try again");
                }
                total = totalFromContentRange(cr);
                append = true;
            } else {
                // 200: the whole file (the server ignored the range, was sent none, or the file changed: If-Range)
                have = 0;
                long len = r.conn.getContentLengthLong();
                total = len >= 0 ? len : r.hubSize;
                append = false;
                String v = validator(r.conn);
                if (v != null) Files.writeString(validatorFile, v);
                else Files.deleteIfExists(validatorFile);
            }
            if (total >= 0 && !ex.sizeAllowed(total)) {
                throw new DownloadException(DownloadException.Kind.SIZE, uri + ": the server offers " + total
                        + " bytes but the manifest says " + ex.sizes() + ": the file changed upstream or the mirror serves another file;"
                        + " nothing was downloaded");
            }
            long cap = maxSize >= 0 ? maxSize : total >= 0 ? total : ex.cap();
            if (total >= 0) {
                long free = Files.getFileStore(part.getParent()).getUsableSpace();
                if (total - have > free) {
                    throw new DownloadException(DownloadException.Kind.DISK_FULL, "not enough disk space for " + name + ": "
                            + Progress.bytes(total - have) + " needed, " + Progress.bytes(free) + " free in " + part.getParent()
                            + ". Free space or choose another models folder (--dir, -Dinstantid.models, INSTANTID_MODELS)");
                }
            }
            MessageDigest md = sha256Digest();
            if (append) sha256Of(part, md, have);
            long bytes = stream(r.conn, part, append, md, have, total, cap, name, listener, cancel, uri);
            return finish(part, target, HexFormat.of().formatHex(md.digest()), bytes, pins, ex, verifiedBy, uri, append);
        } finally {
            r.conn.disconnect();
        }
    }

    private long stream(HttpURLConnection conn, Path part, boolean append, MessageDigest md, long have, long total,
                        long cap, String name, Listener listener, BooleanSupplier cancel, URI uri) throws IOException {
        long bytes = have;
        long t0 = System.nanoTime();
        long lastReport = 0;
        byte[] buf = new byte[CHUNK];
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = conn.getInputStream();
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            while (true) {
                if (cancel != null && cancel.getAsBoolean()) {
                    throw new CancellationException("download of " + name + " cancelled at " + Progress.bytes(bytes)
                            + "; the partial file " + part.getFileName() + " is kept and the next download resumes from there");
                }
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": no data for "
                            + readTimeoutMs / 1000 + " s after " + Progress.bytes(bytes) + "; the partial file is kept, run again to resume", e);
                } catch (IOException e) {
                    throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": connection lost after "
                            + Progress.bytes(bytes) + " (" + e.getMessage() + "); the partial file is kept, run again to resume", e);
                }
                if (n < 0) break;
                if (bytes + n > cap) {
                    out.close();
                    discard(part);
                    throw new DownloadException(DownloadException.Kind.SIZE, uri + ": the server sent more than the " + cap
                            + " bytes expected; reading stopped there and the download was discarded");
                }
                try {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) out.write(bb);
                } catch (IOException e) {
                    throw classifyWriteError(e, part);
                }
                md.update(buf, 0, n);
                bytes += n;
                long now = System.nanoTime();
                if (listener != null && now - lastReport > 200_000_000L) {
                    lastReport = now;
                    listener.progress(progress(name, bytes, have, total, now - t0));
                }
            }
            try {
                out.force(true);
            } catch (IOException e) {
                throw classifyWriteError(e, part);
            }
        }
        if (listener != null) listener.progress(progress(name, bytes, have, total, System.nanoTime() - t0));
        if (total >= 0 && bytes < total) {
            throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": the connection closed after "
                    + bytes + " of " + total + " bytes; the partial file is kept, run again to resume");
        }
        return bytes;
    }

    private static Progress progress(String name, long bytes, long startBytes, long total, long nanos) {
        double secs = nanos / 1e9;
        double rate = secs > 0 ? (bytes - startBytes) / secs : 0;
        double eta = total > 0 && rate > 0 ? (total - bytes) / rate : -1;
        return new Progress(name, bytes, total, rate, eta);
    }

    private static Result finish(Path part, Path target, String actual, long bytes, List<Pin> pins, Expect ex,
                                 String verifiedBy, URI uri, boolean resumed) throws IOException {
        if (!ex.sizeAllowed(bytes)) {
            discard(part);
            throw new DownloadException(DownloadException.Kind.SIZE, uri + ": got " + bytes + " bytes, expected " + ex.sizes()
                    + "; the download was discarded");
        }
        List<String> expected = pins.stream().map(Pin::sha256).filter(java.util.Objects::nonNull).toList();
        if (!expected.isEmpty()) {
            Pin match = pins.stream().filter(p -> actual.equalsIgnoreCase(p.sha256())).findFirst().orElse(null);
            if (match == null) {
                discard(part);
                throw new DownloadException(DownloadException.Kind.CHECKSUM, "SHA-256 mismatch for " + target.getFileName()
                        + " from " + uri + ": got " + actual + ", expected " + String.join(" or ", expected) + " (" + verifiedBy
                        + "). The file was NOT installed and the download was discarded; a corrupt mirror or proxy? Try again or use another mirror (HF_ENDPOINT / -Dinstantid.hub)");
            }
            if (match.label() != null) verifiedBy += " (" + match.label() + ")";
        }
        Files.deleteIfExists(part.resolveSibling(part.getFileName() + ".validator"));
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Result(target, bytes, actual, verifiedBy, resumed);
    }

    /** The response after redirects, with the hub's checksum/size headers seen on the way. */
    private record Response(HttpURLConnection conn, int code, String hubSha256, long hubSize) {
    }

    private Response open(URI start, long rangeFrom, String validator) throws IOException {
        URI uri = start;
        String refused = policy.refusal(null, start);
        if (refused != null) {
            throw new DownloadException(DownloadException.Kind.UNTRUSTED, start + ": " + refused
                    + "; nothing was downloaded. Use https://huggingface.co or an https mirror (HF_ENDPOINT / -Dinstantid.hub)");
        }
        String hubSha = null;
        long hubSize = -1;
        String baseHost = URI.create(hub.base()).getHost();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c;
            int code;
            try {
                c = (HttpURLConnection) uri.toURL().openConnection();
                c.setInstanceFollowRedirects(false);
                c.setConnectTimeout(connectTimeoutMs);
                c.setReadTimeout(readTimeoutMs);
                c.setUseCaches(false);
                c.setRequestProperty("User-Agent", "instantid-fiji");
                c.setRequestProperty("Accept-Encoding", "identity");
                if (rangeFrom > 0) {
                    c.setRequestProperty("Range", "bytes=" + rangeFrom + "-");
                    // the part continues only if the file is still the one it began with; else a 200 restarts it
                    if (validator != null && !validator.isEmpty()) c.setRequestProperty("If-Range", validator);
                }
                // the token goes to the hub only, never to a CDN or another host a redirect names
                if (hub.token() != null && baseHost != null && baseHost.equalsIgnoreCase(uri.getHost())) {
                    c.setRequestProperty("Authorization", "Bearer " + hub.token());
                }
                code = c.getResponseCode();
            } catch (UnknownHostException e) {
                throw new DownloadException(DownloadException.Kind.NETWORK, "cannot resolve host '" + uri.getHost()
                        + "': no network or no DNS. Check the connection; behind a proxy start Fiji/java with -Dhttps.proxyHost=... -Dhttps.proxyPort=...; or use a mirror (HF_ENDPOINT / -Dinstantid.hub)", e);
            } catch (ConnectException | NoRouteToHostException e) {
                throw new DownloadException(DownloadException.Kind.NETWORK, "cannot connect to " + uri.getHost()
                        + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " (" + e.getMessage()
                        + "): no network, a firewall, or a proxy is needed (-Dhttps.proxyHost=... -Dhttps.proxyPort=...)", e);
            } catch (SocketTimeoutException e) {
                throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": the server did not answer in time ("
                        + e.getMessage() + "); try again later or use a mirror", e);
            }
            String linked = c.getHeaderField("X-Linked-Etag");
            if (linked != null && hubSha == null) hubSha = sha256FromEtag(linked);
            String linkedSize = c.getHeaderField("X-Linked-Size");
            if (linkedSize != null && hubSize < 0) {
                try {
                    hubSize = Long.parseLong(linkedSize.trim());
                } catch (NumberFormatException ignored) {
                    // not a size: ignore
                }
            }
            if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
                String loc = c.getHeaderField("Location");
                c.disconnect();
                if (loc == null) throw new DownloadException(DownloadException.Kind.HTTP, uri + ": redirect without a Location");
                URI next;
                try {
                    next = uri.resolve(new URI(loc.trim()));
                } catch (java.net.URISyntaxException | IllegalArgumentException bad) {
                    throw new DownloadException(DownloadException.Kind.HTTP, uri + ": redirect to a malformed address '" + loc
                            + "'; nothing was downloaded");
                }
                String why = policy.refusal(uri, next);
                if (why != null) {
                    throw new DownloadException(DownloadException.Kind.UNTRUSTED, start + ": the server redirects to " + next
                            + ", " + why + "; the redirect was not followed and nothing was downloaded");
                }
                uri = next;
                continue;
            }
            if (code == 200 || code == 206 || code == 416) return new Response(c, code, hubSha, hubSize);
            c.disconnect();
            throw httpError(code, start, uri);
        }
        throw new DownloadException(DownloadException.Kind.HTTP, start + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private DownloadException httpError(int code, URI start, URI at) {
        if (code == 401 || code == 403) {
            String how = hub.token() == null
                    ? "This model is gated or needs a login: accept its terms on its page at " + hub.base()
                    + " with your account, create an access token there, and provide it as the environment variable HF_TOKEN"
                    + " (or -Dinstantid.hf_token=..., or 'models --token TOKEN' which stores it in the models folder settings)."
                    : "An access token was sent but refused: check that it is valid, has read access, and that you accepted the model's terms.";
            return new DownloadException(DownloadException.Kind.AUTH, "HTTP " + code + " for " + start + ". " + how);
        }
        if (code == 404) {
            return new DownloadException(DownloadException.Kind.NOT_FOUND, "HTTP 404: " + start
                    + " does not exist" + (at.equals(start) ? "" : " (after redirect to " + at + ")")
                    + ". The file may have moved upstream or the mirror lacks it: try the default hub, or point the role at a file you have ('models --use ROLE PATH').");
        }
        return new DownloadException(DownloadException.Kind.HTTP, "HTTP " + code + " for " + start
                + (code >= 500 ? ": the server has a problem, try again later" : ""));
    }

    /** Deletes a partial download and the validator it was begun with. */
    private static void discard(Path part) throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(part.resolveSibling(part.getFileName() + ".validator"));
    }

    /** A strong ETag, else Last-Modified: what If-Range may carry (a weak ETag may not). */
    static String validator(HttpURLConnection c) {
        String etag = c.getHeaderField("ETag");
        if (etag != null && !etag.trim().startsWith("W/") && !etag.isBlank()) return etag.trim();
        String lm = c.getHeaderField("Last-Modified");
        return lm == null || lm.isBlank() ? null : lm.trim();
    }

    static DownloadException classifyWriteError(IOException e, Path part) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("no space left") || m.contains("not enough space") || m.contains("disk full")
                || m.contains("quota exceeded")) {
            return new DownloadException(DownloadException.Kind.DISK_FULL, "disk full while writing " + part
                    + ": free space or choose another models folder (--dir, -Dinstantid.models, INSTANTID_MODELS); the partial file is kept for resuming", e);
        }
        return new DownloadException(DownloadException.Kind.HTTP, "cannot write " + part + ": " + e.getMessage(), e);
    }

    /** The SHA-256 in an ETag such as {@code "ab12..."} or {@code W/"ab12..."}, else null. */
    static String sha256FromEtag(String etag) {
        String s = etag.trim();
        if (s.startsWith("W/")) s = s.substring(2);
        s = s.replace("\"", "").toLowerCase(Locale.ROOT);
        return s.matches("[0-9a-f]{64}") ? s : null;
    }

    static long startFromContentRange(String cr) {
        // "bytes 100-199/200"
        if (cr == null || !cr.startsWith("bytes ")) return -1;
        int dash = cr.indexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(cr.substring(6, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static long totalFromContentRange(String cr) {
        if (cr == null) return -1;
        int slash = cr.lastIndexOf('/');
        if (slash < 0) return -1;
        try {
            return Long.parseLong(cr.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1; // "*"
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feeds the first {@code length} bytes of a file to {@code md} (a new digest when null); returns hex when new. */
    static String sha256Of(Path file, MessageDigest md, long length) throws IOException {
        MessageDigest d = md != null ? md : sha256Digest();
        long todo = md != null ? length : Files.size(file);
        byte[] buf = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            while (todo > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, todo));
                if (n < 0) break;
                d.update(buf, 0, n);
                todo -= n;
            }
        }
        return md != null ? null : HexFormat.of().formatHex(d.digest());
    }

    private static void pause(long ms, BooleanSupplier cancel) {
        long end = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < end) {
            if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("download cancelled");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("download interrupted");
            }
        }
    }
}
