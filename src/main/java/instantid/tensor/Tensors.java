package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.io.DType;
import instantid.io.TensorInfo;
import instantid.io.TensorSource;
import instantid.io.WeightFileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Turns file tensors into NDArrays: the one place that knows how bytes become DJL arrays. BF16 is
 * widened in Java before DJL sees it (a BFLOAT16 NDArray aborts the JVM); the mapped bytes are
 * handed to the engine without a copy on the Java heap and copied once into engine-owned memory.
 */
public final class Tensors {

    private Tensors() {
    }

    public static DataType toDjl(DType t) {
        switch (t) {
            case F64: return DataType.FLOAT64;
            case F32: return DataType.FLOAT32;
            case F16: return DataType.FLOAT16;
            case I64: return DataType.INT64;
            case I32: return DataType.INT32;
            case I8: return DataType.INT8;
            case U8: return DataType.UINT8;
            case BOOL: return DataType.BOOLEAN;
            default: return null; // BF16, I16: converted in Java
        }
    }

    /**
     * Loads one tensor onto {@code manager}'s device as {@code target} (null keeps a float tensor's
     * own type, except BF16 which becomes FLOAT32).
     */
    public static NDArray load(NDManager manager, TensorSource src, String name, DataType target) {
        TensorInfo info = src.info(name);
        ByteBuffer bytes = src.bytes(name);
        return fromBytes(manager, bytes, info.dtype(), new Shape(info.shape()), target, src, name);
    }

    static NDArray fromBytes(NDManager manager, ByteBuffer bytes, DType dtype, Shape shape,
                             DataType target, TensorSource src, String name) {
        DataType fileType = toDjl(dtype);
        ByteBuffer direct = bytes;
        if (dtype == DType.BF16) {
            direct = bf16ToF32(bytes);
            fileType = DataType.FLOAT32;
        } else if (dtype == DType.I16) {
            direct = i16ToI32(bytes);
            fileType = DataType.INT32;
        } else if (!bytes.isDirect()) {
            direct = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder());
            direct.put(bytes.duplicate());
            direct.flip();
        }
        if (fileType == null) {
            throw WeightFileException.of(src.path(), name, "dtype " + dtype + " is not supported");
        }
        if (target == null) target = fileType;
        try (NDManager tmp = manager.newSubManager()) {
            NDArray view = tmp.create(direct, shape, fileType);
            NDArray out = view.getDataType() == target ? view.duplicate() : view.toType(target, true);
            out.attach(manager);
            return out;
        }
    }

    /** bf16 is the high half of an IEEE float32: widening is a 16-bit shift. */
    static ByteBuffer bf16ToF32(ByteBuffer in) {
        ShortBuffer s = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocateDirect(s.remaining() * 4).order(ByteOrder.nativeOrder());
        while (s.hasRemaining()) {
            out.putInt((s.get() & 0xffff) << 16);
        }
        out.flip();
        return out;
    }

    static ByteBuffer i16ToI32(ByteBuffer in) {
        ShortBuffer s = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocateDirect(s.remaining() * 4).order(ByteOrder.nativeOrder());
        while (s.hasRemaining()) out.putInt(s.get());
        out.flip();
        return out;
    }

    /** Copies float data into an NDArray on the manager's device (for inputs built in Java). */
    public static NDArray floats(NDManager manager, float[] data, long... shape) {
        return manager.create(data, new Shape(shape));
    }
}
