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
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Downloads one file over HTTP(S) the safe way: streamed into {@code <target>.part}, resumed with a
 * {@code Range} request when a part is already there, SHA-256 checked, and only then moved
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

    private final Hub hub;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final int retries;

    public Downloader(Hub hub) {
        this(hub, 20_000, 60_000, 2);
    }

    /** {@code retries}: how often a connection lost mid-file is resumed automatically before giving up. */
    public Downloader(Hub hub, int connectTimeoutMs, int readTimeoutMs, int retries) {
        this.hub = hub;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.retries = retries;
    }

    public Hub hub() {
        return hub;
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
        return download(hub.url(f), target, f.sha256(), f.size(), listener, cancel);
    }

    /**
     * Downloads {@code uri} to {@code target}. {@code sha256} (lower-case hex) and {@code size} are
     * what is known for sure (null / -1 when not); without a SHA-256 the hub's own (the
     * {@code X-Linked-Etag} of a large-file-storage file) is used when it sends one.
     */
    public Result download(URI uri, Path target, String sha256, long size, Listener listener,
                           BooleanSupplier cancel) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path part = dir.resolve(target.getFileName() + ".part");
        for (int attempt = 0; ; attempt++) {
            try {
                return attempt(uri, target, part, sha256, size, listener, cancel);
            } catch (DownloadException e) {
                boolean resumable = e.kind() == DownloadException.Kind.NETWORK && Files.exists(part);
                if (!resumable || attempt >= retries) throw e;
                pause(Math.min(8000, 500L << attempt), cancel);
            }
        }
    }

    private Result attempt(URI uri, Path target, Path part, String sha256, long size, Listener listener,
                           BooleanSupplier cancel) throws IOException {
        String name = target.getFileName().toString();
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (size >= 0 && have > size) {
            Files.delete(part);
            have = 0;
        }
        Response r = open(uri, have);
        try {
            String expected = sha256 != null ? sha256 : r.hubSha256;
            String verifiedBy = sha256 != null ? "manifest sha256" : r.hubSha256 != null ? "hub sha256" : size >= 0 ? "size" : "none";
            int code = r.code;
            long total;
            boolean append;
            if (code == 416) {
                long complete = totalFromContentRange(r.conn.getHeaderField("Content-Range"));
                r.conn.disconnect();
                if (complete >= 0 && complete == have) {
                    return finish(part, target, sha256Of(part, null, 0), have, expected, size, verifiedBy, uri, true);
                }
                Files.deleteIfExists(part);
                return attempt(uri, target, part, sha256, size, listener, cancel);
            } else if (code == 206) {
                String cr = r.conn.getHeaderField("Content-Range");
                long start = startFromContentRange(cr);
                if (start != have) {
                    r.conn.disconnect();
                    Files.deleteIfExists(part);
                    throw new DownloadException(DownloadException.Kind.NETWORK, uri + ": the server resumed at byte "
                            + start + " instead of " + have + " (" + cr + "); the partial file was discarded, try again");
                }
                total = totalFromContentRange(cr);
                append = true;
            } else {
                have = 0; // 200: the whole file (the server ignored or was not sent a range)
                long len = r.conn.getContentLengthLong();
                total = len >= 0 ? len : r.hubSize;
                append = false;
            }
            if (size >= 0 && total >= 0 && total != size) {
                throw new DownloadException(DownloadException.Kind.SIZE, uri + ": the server offers " + total
                        + " bytes but the manifest says " + size + ": the file changed upstream or the mirror serves another file");
            }
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
            long bytes = stream(r.conn, part, append, md, have, total, name, listener, cancel, uri);
            return finish(part, target, HexFormat.of().formatHex(md.digest()), bytes, expected, size, verifiedBy, uri, append);
        } finally {
            r.conn.disconnect();
        }
    }

    private long stream(HttpURLConnection conn, Path part, boolean append, MessageDigest md, long have, long total,
                        String name, Listener listener, BooleanSupplier cancel, URI uri) throws IOException {
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

    private static Result finish(Path part, Path target, String actual, long bytes, String expected, long size,
                                 String verifiedBy, URI uri, boolean resumed) throws IOException {
        if (size >= 0 && bytes != size) {
            Files.deleteIfExists(part);
            throw new DownloadException(DownloadException.Kind.SIZE, uri + ": got " + bytes + " bytes, expected " + size
                    + "; the download was discarded");
        }
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            Files.deleteIfExists(part);
            throw new DownloadException(DownloadException.Kind.CHECKSUM, "SHA-256 mismatch for " + target.getFileName()
                    + " from " + uri + ": got " + actual + ", expected " + expected + " (" + verifiedBy
                    + "). The file was NOT installed and the download was discarded; a corrupt mirror or proxy? Try again or use another mirror (HF_ENDPOINT / -Dinstantid.hub)");
        }
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

    private Response open(URI start, long rangeFrom) throws IOException {
        URI uri = start;
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
                if (rangeFrom > 0) c.setRequestProperty("Range", "bytes=" + rangeFrom + "-");
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
                uri = uri.resolve(loc);
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
