package instantid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** Streams one tensor's values, generated in chunks, as little-endian F32 or F16 bytes. */
public final class TensorWriter {

    /** Fills {@code out} with the values at {@code [start, start + out.length)} of a tensor, deterministically. */
    @FunctionalInterface
    public interface Values {
        void fill(String name, long[] shape, long start, float[] out);
    }

    static final int CHUNK = 1 << 18;

    private TensorWriter() {
    }

    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public static void stream(WritableByteChannel ch, String name, long[] shape, DType dtype, Values values) throws IOException {
        long n = elements(shape);
        float[] chunk = new float[CHUNK];
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long s = 0; s < n; s += CHUNK) {
            int len = (int) Math.min(CHUNK, n - s);
            float[] c = len == CHUNK ? chunk : new float[len];
            values.fill(name, shape, s, c);
            buf.clear();
            for (int i = 0; i < len; i++) {
                if (dtype == DType.F16) buf.putShort(Half.fromFloat(c[i]));
                else buf.putFloat(c[i]);
            }
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
