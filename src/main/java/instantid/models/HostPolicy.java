package instantid.models;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where the downloader may connect: https only; the hub's own host (and its subdomains), and for
 * the Hugging Face hub its CDN and storage hosts ({@code *.huggingface.co}, {@code *.hf.co}:
 * cdn-lfs*, cas-bridge.xethub, transfer.xethub, us.*.cdn — the hub redirects file downloads there);
 * a redirect never downgrades to http and never leaves for another scheme ({@code file:}, {@code ftp:},
 * {@code jar:}) or another host. Plain http is allowed only to the loopback interface, and only when
 * a test asks for it through {@link #withLoopbackHttp()} (package-private: no user-facing switch).
 */
final class HostPolicy {

    private final String hubHost;
    private final boolean loopbackHttp;

    HostPolicy(String hubBase, boolean loopbackHttp) {
        String h = URI.create(hubBase).getHost();
        this.hubHost = h == null ? "" : h.toLowerCase(Locale.ROOT);
        this.loopbackHttp = loopbackHttp;
    }

    /** The same policy, also allowing plain http to 127.0.0.1 / ::1 (the tests' loopback hub). */
    HostPolicy withLoopbackHttp() {
        return new HostPolicy("https://" + hubHost, true);
    }

    /** Null when {@code to} may be fetched (after {@code from}, null for the first request), else why not. */
    String refusal(URI from, URI to) {
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        String host = to.getHost() == null ? "" : to.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "a '" + scheme + ":' address; only https downloads are made";
        }
        if (scheme.equals("http")) {
            if (!(loopbackHttp && loopback(host))) {
                return from != null && "https".equalsIgnoreCase(from.getScheme())
                        ? "a downgrade from https to plain http; refused"
                        : "plain http; only https downloads are made (a mirror must serve https)";
            }
        }
        if (!allowedHost(host)) {
            return "host '" + host + "', which is neither the hub (" + hubHost + ") nor its download CDN";
        }
        return null;
    }

    boolean allowedHost(String host) {
        if (host.isEmpty()) return false;
        if (host.equals(hubHost) || host.endsWith("." + hubHost)) return true;
        if (loopbackHttp && loopback(host) && loopback(hubHost)) return true;
        // the Hugging Face hub (also when a mirror redirects to it) and its CDN / storage hosts
        for (String d : new String[] {"huggingface.co", "hf.co"}) {
            if (host.equals(d) || host.endsWith("." + d)) return true;
        }
        return false;
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) return true;
        if (!host.matches("[0-9.]+|\\[?[0-9a-f:]+]?")) return false; // literal addresses only: no DNS look-up
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
