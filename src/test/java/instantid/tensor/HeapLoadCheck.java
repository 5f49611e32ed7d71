package instantid.tensor;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.Safetensors;

import java.nio.file.Path;

/**
 * Run in a child JVM with a heap far smaller than the file: loads every tensor of a safetensors
 * file through {@link Weights} (fp32 and fp16 targets) and prints the bytes now held natively.
 * It can only succeed if no tensor passes through the Java heap.
 */
public final class HeapLoadCheck {

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        DataType dt = args.length > 1 && args[1].equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
        long bytes = 0;
        try (NDManager m = NDManager.newBaseManager(); Safetensors s = Safetensors.open(file); Weights w = new Weights(m, dt)) {
            w.mapAll(s, "");
            for (String n : w.names()) {
                bytes += w.get(n).size() * dt.getNumOfBytes();
            }
        }
        System.out.println("loaded " + bytes);
    }
}
