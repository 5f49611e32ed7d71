package instantid.face;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first nodes (name, op type) of an ONNX file's graph with a minimal protobuf
 * wire-format reader — what insightface's ArcFaceONNX inspects with {@code onnx.load} to decide
 * the input normalisation — without a protobuf or onnx dependency. Streams the file and skips
 * everything else (weights are never read into memory).
 *
 * <p>ModelProto.graph is field 7; GraphProto.node is field 1; NodeProto.name is field 3 and
 * NodeProto.op_type is field 4.
 */
public final class OnnxGraph {

    /** One graph node as named in the file. */
    public record Node(String name, String opType) {
    }

    private OnnxGraph() {
    }

    /** The first {@code max} nodes of the main graph, in file order. */
    public static List<Node> firstNodes(Path file, int max) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Reader r = new Reader(in);
            List<Node> nodes = new ArrayList<>();
            while (!r.atEnd()) {
                long key = r.varint();
                int field = (int) (key >>> 3), wire = (int) (key & 7);
                if (field == 7 && wire == 2) {
                    long len = r.varint();
                    readGraph(r, r.pos + len, nodes, max);
                    return nodes;
                }
                r.skip(wire);
            }
            throw new FaceModelException(file + ": no graph found in this ONNX file");
        } catch (IOException | RuntimeException e) {
            if (e instanceof FaceModelException f) throw f;
            throw new FaceModelException(file + ": not a readable ONNX file (" + e.getMessage() + ")", e);
        }
    }

    private static void readGraph(Reader r, long end, List<Node> nodes, int max) throws IOException {
        while (r.pos < end && nodes.size() < max) {
            long key = r.varint();
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            if (field == 1 && wire == 2) {
                long len = r.varint();
                nodes.add(readNode(r, r.pos + len));
            } else {
                r.skip(wire);
            }
        }
    }

    private static Node readNode(Reader r, long end) throws IOException {
        String name = "", op = "";
        while (r.pos < end) {
            long key = r.varint();
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            if ((field == 3 || field == 4) && wire == 2) {
                String s = r.string();
                if (field == 3) name = s; else op = s;
            } else {
                r.skip(wire);
            }
        }
        if (r.pos != end) throw new IOException("node record overruns its length");
        return new Node(name, op);
    }

    /** Counting protobuf reader over a stream. */
    private static final class Reader {
        private final InputStream in;
        long pos;
        private int peeked = -2;

        Reader(InputStream in) {
            this.in = in;
        }

        boolean atEnd() throws IOException {
            if (peeked == -2) peeked = in.read();
            return peeked < 0;
        }

        int read() throws IOException {
            int b;
            if (peeked != -2) { b = peeked; peeked = -2; } else b = in.read();
            if (b < 0) throw new EOFException("file ends inside a record (truncated?)");
            pos++;
            return b;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new IOException("malformed varint at byte " + pos);
        }

        String string() throws IOException {
            long len = varint();
            if (len < 0 || len > (1 << 20)) throw new IOException("implausible string length " + len + " at byte " + pos);
            byte[] b = new byte[(int) len];
            for (int i = 0; i < len; i++) b[i] = (byte) read();
            return new String(b, StandardCharsets.UTF_8);
        }

        void skip(int wire) throws IOException {
            switch (wire) {
                case 0: varint(); break;
                case 1: skipBytes(8); break;
                case 2: {
                    long len = varint();
                    if (len < 0) throw new IOException("negative length at byte " + pos);
                    skipBytes(len);
                    break;
                }
                case 5: skipBytes(4); break;
                default: throw new IOException("unsupported protobuf wire type " + wire + " at byte " + pos);
            }
        }

        void skipBytes(long n) throws IOException {
            if (n > 0 && peeked != -2) { read(); n--; }
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) throw new EOFException("file ends inside a record (truncated?)");
                    k = 1;
                }
                n -= k;
                pos += k;
            }
        }
    }
}
