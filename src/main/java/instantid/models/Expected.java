package instantid.models;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a download must match: its accepted versions ({@link Pin}s: size and SHA-256, may be empty)
 * and the most bytes it may have. Checked on the way (a server offering another size is refused
 * before anything is read; reading stops at the cap) and at the end (size and SHA-256), before the
 * file gets its final name.
 */
record Expected(List<Pin> pins, long cap) {

    Expected {
        pins = List.copyOf(pins);
    }

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

    /** The pinned sizes for a message: "123 or 456". */
    String sizes() {
        return pins.stream().filter(p -> p.size() >= 0).map(p -> Long.toString(p.size())).distinct()
                .collect(Collectors.joining(" or "));
    }

    /**
     * Checks a complete download: its size against these pins, its SHA-256 {@code actual} against
     * {@code shaPins} (these pins, or the hub's checksum when none has one). Returns
     * {@code verifiedBy}, with the matching version's label when it has one; throws (the caller
     * discards the part) when the file is not one of them.
     */
    String verify(String actual, long bytes, List<Pin> shaPins, String verifiedBy, URI uri, String name) throws DownloadException {
        if (!sizeAllowed(bytes)) {
            throw new DownloadException(DownloadException.Kind.SIZE, uri + ": got " + bytes + " bytes, expected " + sizes()
                    + "; the download was discarded");
        }
        List<String> expected = shaPins.stream().map(Pin::sha256).filter(Objects::nonNull).toList();
        if (expected.isEmpty()) return verifiedBy;
        Pin match = shaPins.stream().filter(p -> actual.equalsIgnoreCase(p.sha256())).findFirst().orElse(null);
        if (match == null) {
            throw new DownloadException(DownloadException.Kind.CHECKSUM, "SHA-256 mismatch for " + name
                    + " from " + uri + ": got " + actual + ", expected " + String.join(" or ", expected) + " (" + verifiedBy
                    + "). The file was NOT installed and the download was discarded; a corrupt mirror or proxy? Try again or use another mirror (HF_ENDPOINT / -Dinstantid.hub)");
        }
        return match.label() != null ? verifiedBy + " (" + match.label() + ")" : verifiedBy;
    }
}
