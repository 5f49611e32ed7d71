package instantid.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: writes pickles opcode by opcode and packs them as torch.save zips. */
final class PickleOps {

    final ByteArrayOutputStream pkl = new ByteArrayOutputStream();
    final Map<String, byte[]> storages = new LinkedHashMap<>();

    PickleOps op(int... bytes) {
        for (int b : bytes) pkl.write(b);
        return this;
    }

    PickleOps str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        int n = b.length;
        op(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
        pkl.writeBytes(b);
        return this;
    }

    PickleOps global(String module, String name) {
        op('c');
        pkl.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleOps integer(int v) {
        return op('J', v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24);
    }

    PickleOps tuple(int... v) {
        op('(');
        for (int x : v) integer(x);
        return op('t');
    }

    /** Pushes {@code _rebuild_tensor_v2(storage(key), offset, shape, stride, False, OrderedDict())}. */
    PickleOps tensor(String storageClass, String key, int numel, int offset, int[] shape, int[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel).op('t', 'Q');
        integer(offset).tuple(shape).tuple(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    /** Pushes a 4-float tensor on storage "0" (16 bytes). */
    PickleOps tensor1() {
        return tensor("FloatStorage", "0", 4, 0, new int[] {4}, new int[] {1});
    }

    void write(Path file, boolean deflate, String byteorder) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            put(z, "archive/data.pkl", pkl.toByteArray(), deflate);
            if (byteorder != null) put(z, "archive/byteorder", byteorder.getBytes(StandardCharsets.US_ASCII), deflate);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) put(z, "archive/data/" + e.getKey(), e.getValue(), deflate);
            put(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII), deflate);
        }
    }

    private static void put(ZipOutputStream z, String name, byte[] data, boolean deflate) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (!deflate) {
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
