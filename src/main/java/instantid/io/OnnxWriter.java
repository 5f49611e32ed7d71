package instantid.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models (a ModelProto in protobuf wire format) without an onnx or protobuf
 * dependency: float32 initializers, nodes with int / ints / float attributes, inputs and outputs
 * with fixed or named dimensions. Enough for tiny demo face models of the published layouts;
 * field numbers are those of onnx.proto (ModelProto.ir_version 1, producer_name 2, graph 7,
 * opset_import 8; GraphProto.node 1, name 2, initializer 5, input 11, output 12; ...).
 */
public final class OnnxWriter {

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final String name;

    public OnnxWriter(String graphName) {
        this.name = graphName;
    }

    /** A float32 initializer of {@code shape}. */
    public OnnxWriter initializer(String tensorName, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        initializers.add(tensor(tensorName, shape, 1, b.array()));
        return this;
    }

    /** An int64 initializer (shapes for Reshape). */
    public OnnxWriter initializerInt64(String tensorName, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        initializers.add(tensor(tensorName, new long[] {values.length}, 7, b.array()));
        return this;
    }

    /** A node; {@code attrs} are (name, value) pairs, value an Integer/Long, long[] or Float. */
    public OnnxWriter node(String opType, String nodeName, List<String> in, List<String> out, Object... attrs) {
        Proto n = new Proto();
        for (String s : in) n.string(1, s);
        for (String s : out) n.string(2, s);
        n.string(3, nodeName);
        n.string(4, opType);
        for (int i = 0; i < attrs.length; i += 2) {
            Proto a = new Proto().string(1, (String) attrs[i]);
            Object v = attrs[i + 1];
            if (v instanceof Float f) a.fixed32(2, Float.floatToIntBits(f)).varint(20, 1);
            else if (v instanceof Number k) a.varint(3, k.longValue()).varint(20, 2);
            else if (v instanceof long[] ks) {
                for (long k : ks) a.varint(8, k);
                a.varint(20, 7);
            } else throw new IllegalArgumentException("attribute " + attrs[i] + ": unsupported value " + v);
            n.message(5, a);
        }
        nodes.add(n.bytes());
        return this;
    }

    /** A float32 graph input; a dimension < 0 is written as a named (dynamic) one. */
    public OnnxWriter input(String valueName, long... shape) {
        inputs.add(valueInfo(valueName, shape));
        return this;
    }

    public OnnxWriter output(String valueName, long... shape) {
        outputs.add(valueInfo(valueName, shape));
        return this;
    }

    /** The model file's bytes (IR version 8, default opset 13). */
    public byte[] toBytes() {
        Proto g = new Proto();
        for (byte[] n : nodes) g.raw(1, n);
        g.string(2, name);
        for (byte[] t : initializers) g.raw(5, t);
        for (byte[] i : inputs) g.raw(11, i);
        for (byte[] o : outputs) g.raw(12, o);
        return new Proto().varint(1, 8).string(2, "instantid-fiji").message(7, g)
                .message(8, new Proto().string(1, "").varint(2, 13)).bytes();
    }

    private static byte[] tensor(String name, long[] shape, int dataType, byte[] raw) {
        Proto t = new Proto();
        for (long d : shape) t.varint(1, d);
        t.varint(2, dataType).string(8, name).raw(9, raw);
        return t.bytes();
    }

    private static byte[] valueInfo(String name, long[] shape) {
        Proto dims = new Proto();
        int k = 0;
        for (long d : shape) {
            dims.message(1, d >= 0 ? new Proto().varint(1, d) : new Proto().string(2, name + "_d" + k));
            k++;
        }
        Proto tensorType = new Proto().varint(1, 1).message(2, dims);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType)).bytes();
    }

    /** A protobuf message being written. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            key(field, 0);
            writeVarint(v);
            return this;
        }

        Proto fixed32(int field, int v) {
            key(field, 5);
            for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
            return this;
        }

        Proto string(int field, String s) {
            return raw(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return raw(field, m.bytes());
        }

        Proto raw(int field, byte[] b) {
            key(field, 2);
            writeVarint(b.length);
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void key(int field, int wire) {
            writeVarint((long) field << 3 | wire);
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
