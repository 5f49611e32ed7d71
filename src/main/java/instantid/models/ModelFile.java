package instantid.models;

/**
 * One file of the manifest: where it is published ({@code repo} of type {@code repoType} on the
 * hub, {@code path} inside it), where it goes ({@code target}, relative to the models folder),
 * and what is known of it for sure: {@code size} (-1 when unknown) and {@code sha256} (null when
 * unknown — never guessed).
 */
public record ModelFile(Role role, String repo, String repoType, String path, String target,
                        long size, String sha256, String licence, String note) {

    public ModelFile {
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifest: sha256 of " + path + " is not 64 lower-case hex digits");
        }
        if (target.startsWith("/") || target.contains("..")) {
            throw new IllegalArgumentException("manifest: target of " + path + " must stay inside the models folder");
        }
    }

    /** {@code repo:path} for messages. */
    public String source() {
        return ("space".equals(repoType) ? "spaces/" : "") + repo + ":" + path;
    }
}
