package instantid.pipeline;

/** A small RGB picture of the current latents (8x smaller than the image), interleaved bytes. */
public record Preview(int width, int height, byte[] rgb) {
}
