package instantid.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (port chosen by the OS) that behaves like the hub in its good
 * and bad moods: {@code /ok} serves the payload with Range support and the hub's X-Linked-Etag,
 * {@code /cut} sends half of the file on the first request then closes the connection,
 * {@code /redirect} answers 302 to {@code /ok} (with the checksum header on the redirect, as the
 * hub does), {@code /gated} wants {@code Authorization: Bearer secret}, {@code /slow} trickles,
 * anything else is 404.
 */
final class LoopbackHub implements AutoCloseable {

    final byte[] payload;
    final String sha256;
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Every If-Range header received, as "path value". */
    final List<String> ifRanges = new CopyOnWriteArrayList<>();
    /** The ETag /etag/... serves now; a test changes it to make the file "change upstream". */
    volatile String etag = "\"v1\"";
    final AtomicInteger etagRequests = new AtomicInteger();
    final AtomicInteger cutRequests = new AtomicInteger();
    private final HttpServer server;

    LoopbackHub() throws IOException {
        payload = payload();
        try {
            sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "loopback-hub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fixture file when the fixtures are there (a real ONNX model), else seeded random bytes. */
    private static byte[] payload() throws IOException {
        String fx = System.getProperty("instantid.fixtures");
        if (fx != null) {
            Path p = Path.of(fx, "face_analysis", "rec_tiny.onnx");
            if (Files.isRegularFile(p)) return Files.readAllBytes(p);
        }
        byte[] b = new byte[1_300_007];
        new Random(42).nextBytes(b);
        return b;
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    java.net.URI uri(String path) {
        return java.net.URI.create(base() + path);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (range != null) ranges.add(path + " " + range);
        if (auth != null) authorizations.add(path + " " + auth);
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        if (ifRange != null) ifRanges.add(path + " " + ifRange);
        try {
            if (path.startsWith("/ok")) {
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256 + "\"");
                serve(ex, range);
            } else if (path.startsWith("/etag")) {
                // ETag + If-Range as a CDN does: a cut first response; a range whose If-Range is stale gets the whole file
                ex.getResponseHeaders().add("ETag", etag);
                if (etagRequests.getAndIncrement() == 0) {
                    ex.sendResponseHeaders(200, payload.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(payload, 0, payload.length / 3);
                    out.flush();
                    out.close();
                } else {
                    serve(ex, ifRange == null || ifRange.equals(etag) ? range : null);
                }
            } else if (path.startsWith("/to-")) {
                // redirects to elsewhere: /to-file, /to-ftp, /to-evil, /to-garbage, /to-ok
                String where = switch (path.substring(4, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1))) {
                    case "file" -> "file:///etc/passwd";
                    case "ftp" -> "ftp://127.0.0.1/x";
                    case "evil" -> "https://evil.example.com/x";
                    case "garbage" -> "http://[::1";
                    default -> "/ok/moved";
                };
                ex.getResponseHeaders().add("Location", where);
                ex.sendResponseHeaders(302, -1);
            } else if (path.startsWith("/nolength")) {
                // no Content-Length (chunked) and far more bytes than the file has
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = 0; i < 8; i++) out.write(payload);
                }
            } else if (path.startsWith("/toolong")) {
                ex.sendResponseHeaders(200, payload.length + 10L);
                ex.getResponseBody().close();
            } else if (path.startsWith("/redirect")) {
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256 + "\"");
                ex.getResponseHeaders().add("Location", "/ok/moved");
                ex.sendResponseHeaders(302, -1);
            } else if (path.startsWith("/lying")) {
                // claims a checksum the bytes do not have
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + "0".repeat(64) + "\"");
                serve(ex, range);
            } else if (path.startsWith("/cut")) {
                if (cutRequests.getAndIncrement() == 0) {
                    ex.sendResponseHeaders(200, payload.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(payload, 0, payload.length / 2);
                    out.flush();
                    out.close(); // fewer bytes than announced: the server drops the connection
                } else {
                    serve(ex, range);
                }
            } else if (path.startsWith("/gated")) {
                if (!"Bearer secret".equals(auth)) {
                    ex.sendResponseHeaders(401, -1);
                } else {
                    serve(ex, range);
                }
            } else if (path.startsWith("/slow")) {
                ex.sendResponseHeaders(200, payload.length);
                OutputStream out = ex.getResponseBody();
                for (int i = 0; i < payload.length; i += 1024) {
                    out.write(payload, i, Math.min(1024, payload.length - i));
                    out.flush();
                    Thread.sleep(20);
                }
                out.close();
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away (cancel): fine
        } finally {
            ex.close();
        }
    }

    private void serve(HttpExchange ex, String range) throws IOException {
        int from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= payload.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + payload.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (payload.length - 1) + "/" + payload.length);
            ex.sendResponseHeaders(206, payload.length - from);
        } else {
            ex.sendResponseHeaders(200, payload.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(payload, from, payload.length - from);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
