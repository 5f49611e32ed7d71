package instantid.models;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One HTTP GET of a download, the safe way: redirects followed by hand, each hop checked against the
 * {@link HostPolicy} (https only, the hub and its CDN); a {@code Range} from the bytes already
 * there, with {@code If-Range} carrying the validator of the response that began them; the access
 * token sent to the hub's own host only; the hub's checksum and size headers
 * ({@code X-Linked-Etag}, {@code X-Linked-Size}) collected on the way. Every failure is a
 * {@link DownloadException} whose message says what to do.
 */
final class HubConnection {

    private static final int MAX_REDIRECTS = 10;

    /** The response after redirects, with the hub's checksum / size headers seen on the way (null / -1 when none). */
    record Response(HttpURLConnection conn, int code, String hubSha256, long hubSize) {
    }

    private final Hub hub;
    private final HostPolicy policy;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    HubConnection(Hub hub, HostPolicy policy, int connectTimeoutMs, int readTimeoutMs) {
        this.hub = hub;
        this.policy = policy;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    /**
     * Opens {@code start}, from byte {@code rangeFrom} when it is above 0 (continuing only while the
     * file still has {@code validator}, else the server sends it whole). The answer is a 200, 206 or
     * 416; the caller disconnects it.
     */
    Response open(URI start, long rangeFrom, String validator) throws IOException {
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

    /** A strong ETag, else Last-Modified: what If-Range may carry (a weak ETag may not). */
    static String validator(HttpURLConnection c) {
        String etag = c.getHeaderField("ETag");
        if (etag != null && !etag.trim().startsWith("W/") && !etag.isBlank()) return etag.trim();
        String lm = c.getHeaderField("Last-Modified");
        return lm == null || lm.isBlank() ? null : lm.trim();
    }

    /** The SHA-256 in an ETag such as {@code "ab12..."} or {@code W/"ab12..."}, else null. */
    static String sha256FromEtag(String etag) {
        String s = etag.trim();
        if (s.startsWith("W/")) s = s.substring(2);
        s = s.replace("\"", "").toLowerCase(Locale.ROOT);
        return s.matches("[0-9a-f]{64}") ? s : null;
    }

    /** The first byte of a {@code Content-Range} such as {@code bytes 100-199/200}, or -1. */
    static long startFromContentRange(String cr) {
        if (cr == null || !cr.startsWith("bytes ")) return -1;
        int dash = cr.indexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(cr.substring(6, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The complete length in a {@code Content-Range}, or -1 (none, or {@code *}). */
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
}
