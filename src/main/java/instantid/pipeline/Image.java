package instantid.pipeline;

/** One generated picture: interleaved 8-bit RGB, the seed that made it. */
public record Image(int width, int height, byte[] rgb, long seed) {
}
