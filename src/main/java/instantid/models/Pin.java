package instantid.models;

/**
 * One published version of a file, known for sure: its size and SHA-256 (lower-case hex), and a
 * label naming it when a file has more than one accepted version (e.g. glintr100.onnx as
 * insightface's pack and as one mirror lists it).
 */
public record Pin(long size, String sha256, String label) {

    public Pin {
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifest: sha256 '" + sha256 + "' is not 64 lower-case hex digits");
        }
    }
}
