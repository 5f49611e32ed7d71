package instantid.models;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where files are downloaded from: a hub base URL ({@code https://huggingface.co} unless the
 * system property {@code instantid.hub} or the environment variable {@code HF_ENDPOINT} names a
 * mirror) and an optional access token for gated repositories (environment variable
 * {@code HF_TOKEN}, system property {@code instantid.hf_token}, or the models folder's settings),
 * sent as {@code Authorization: Bearer}. URLs are {@code {base}/{repo}/resolve/{revision}/{path}}
 * with the manifest's pinned commit ({@code main} only for files pinned by SHA-256 alone)
 * ({@code {base}/spaces/{repo}/...} for a Space).
 */
public record Hub(String base, String token) {

    public static final String DEFAULT_BASE = "https://huggingface.co";

    public Hub {
        if (base == null || base.isBlank()) base = DEFAULT_BASE;
        base = base.trim();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new IllegalArgumentException("hub base URL '" + base + "' must start with http:// or https://");
        }
        if (token != null && token.isBlank()) token = null;
    }

    /** From the system property / environment (then the given fallbacks, e.g. from the settings file). */
    public static Hub fromEnvironment(String settingsBase, String settingsToken) {
        String base = first(System.getProperty("instantid.hub"), System.getenv("HF_ENDPOINT"), settingsBase);
        String token = first(System.getenv("HF_TOKEN"), System.getProperty("instantid.hf_token"), settingsToken);
        return new Hub(base, token);
    }

    private static String first(String... v) {
        for (String s : v) if (s != null && !s.isBlank()) return s;
        return null;
    }

    public URI url(ModelFile f) {
        StringBuilder sb = new StringBuilder(base).append('/');
        if ("space".equals(f.repoType())) sb.append("spaces/");
        else if ("dataset".equals(f.repoType())) sb.append("datasets/");
        sb.append(f.repo()).append("/resolve/").append(f.urlRevision()).append('/');
        String[] parts = f.path().split("/");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append('/');
            sb.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(sb.toString());
    }

    @Override
    public String toString() {
        return base + (token != null ? " (with token)" : "");
    }
}
