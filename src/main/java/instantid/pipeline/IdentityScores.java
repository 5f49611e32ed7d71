package instantid.pipeline;

import java.util.List;

/**
 * The identity scores of one generated image, one per identity of the request (in its order).
 * {@link #overall()} is the image's single number: the identity's own score for one identity;
 * for a composition the lowest of the identities' scores (the least preserved person decides how
 * good the picture is), absent when any identity has none.
 */
public record IdentityScores(List<IdentityScore> perIdentity) {

    public IdentityScores {
        perIdentity = List.copyOf(perIdentity);
        if (perIdentity.isEmpty()) throw new IllegalArgumentException("identity scores need at least one identity");
    }

    /** Every identity without a score for the same reason (e.g. no face models to score with). */
    public static IdentityScores none(int identities, String reason) {
        return new IdentityScores(java.util.Collections.nCopies(Math.max(1, identities), IdentityScore.none(reason)));
    }

    public IdentityScore overall() {
        if (perIdentity.size() == 1) return perIdentity.get(0);
        IdentityScore worst = null;
        for (int k = 0; k < perIdentity.size(); k++) {
            IdentityScore s = perIdentity.get(k);
            if (!s.present()) return IdentityScore.none("identity " + (k + 1) + ": " + s.reason());
            if (worst == null || s.value() < worst.value()) worst = s;
        }
        return worst;
    }

    /** "0.731" for one identity; "0.612 (0.731, 0.612)" for several. */
    public String text() {
        if (perIdentity.size() == 1) return overall().text();
        StringBuilder sb = new StringBuilder(overall().text()).append(" (");
        for (int k = 0; k < perIdentity.size(); k++) sb.append(k == 0 ? "" : ", ").append(perIdentity.get(k).text());
        return sb.append(')').toString();
    }

    /** For sorting: the overall value, or negative infinity when absent (absent scores rank last). */
    public double rankValue() {
        IdentityScore o = overall();
        return o.present() ? o.value() : Double.NEGATIVE_INFINITY;
    }
}
