package instantid.models;

import java.util.ArrayList;
import java.util.List;

/**
 * One file of the manifest: where it is published ({@code repo} of type {@code repoType} on the
 * hub, {@code path} inside it, at the pinned {@code revision} — a commit, so that the URL names
 * content that cannot change; null means the branch {@code main}, only for files whose SHA-256 is
 * pinned), where it goes ({@code target}, relative to the models folder), and what is known of it
 * for sure: {@code size} (-1 when unknown) and {@code sha256} (null when unknown — never guessed),
 * other accepted versions ({@code alternatives}, each named), and for a file with no published
 * size the most bytes it may have ({@code maxSize}, -1: the downloader's default cap).
 */
public record ModelFile(Role role, String repo, String repoType, String path, String target,
                        long size, String sha256, String licence, String note,
                        String revision, List<Pin> alternatives, long maxSize) {

    public ModelFile {
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifest: sha256 of " + path + " is not 64 lower-case hex digits");
        }
        if (target.startsWith("/") || target.contains("..")) {
            throw new IllegalArgumentException("manifest: target of " + path + " must stay inside the models folder");
        }
        if (revision != null && !revision.matches("[0-9a-f]{40}|main")) {
            throw new IllegalArgumentException("manifest: revision of " + path + " must be a 40-digit commit");
        }
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    /** A file without pinned revision, alternatives or size cap. */
    public ModelFile(Role role, String repo, String repoType, String path, String target,
                     long size, String sha256, String licence, String note) {
        this(role, repo, repoType, path, target, size, sha256, licence, note, null, List.of(), -1);
    }

    /** {@code repo:path} for messages. */
    public String source() {
        return ("space".equals(repoType) ? "spaces/" : "") + repo + ":" + path;
    }

    /** Whether the manifest pins the content (a SHA-256); otherwise it is trusted on first use. */
    public boolean pinned() {
        return sha256 != null;
    }

    /** Every accepted version: the manifest's own first, then the alternatives. */
    public List<Pin> pins() {
        List<Pin> out = new ArrayList<>();
        if (sha256 != null || size >= 0) out.add(new Pin(size, sha256, null));
        out.addAll(alternatives);
        return out;
    }

    /** The revision in URLs: the pinned commit, else {@code main}. */
    public String urlRevision() {
        return revision != null ? revision : "main";
    }
}
