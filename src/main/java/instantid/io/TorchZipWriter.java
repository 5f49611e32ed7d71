package instantid.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict of nested parts (e.g. {@code image_proj} / {@code ip_adapter}) the way
 * {@code torch.save} does: a zip of {@code archive/data.pkl} (pickle protocol 2 calling
 * {@code torch._utils._rebuild_tensor_v2} on persistent storages), {@code archive/data/<key>}
 * (raw little-endian storage bytes, stored uncompressed) and {@code archive/version}. Enough for
 * {@code torch.load} and for {@link TorchPickle}; used by {@code random-model}.
 */
public final class TorchZipWriter {

    private TorchZipWriter() {
    }

    /** {@code parts}: part name → (tensor name → shape). Values are regenerated for the CRC pass. */
    public static void write(Path file, Map<String, Map<String, long[]>> parts, DType dtype, TensorWriter.Values values)
            throws IOException {
        Map<String, long[]> flat = new LinkedHashMap<>();
        parts.forEach((p, m) -> m.forEach((k, v) -> flat.put(p + "." + k, v)));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                stored(zip, "archive/data.pkl", pickle(parts, dtype));
                stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                int key = 0;
                for (Map.Entry<String, long[]> e : flat.entrySet()) {
                    long n = TensorWriter.elements(e.getValue());
                    ZipEntry z = new ZipEntry("archive/data/" + key++);
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(n * dtype.bytes);
                    z.setCompressedSize(n * dtype.bytes);
                    z.setCrc(crc(e.getKey(), e.getValue(), dtype, values));
                    zip.putNextEntry(z);
                    OutputStream nonClosing = new java.io.FilterOutputStream(zip) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() {
                        }
                    };
                    TensorWriter.stream(Channels.newChannel(nonClosing), e.getKey(), e.getValue(), dtype, values);
                    zip.closeEntry();
                }
                stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long crc(String name, long[] shape, DType dtype, TensorWriter.Values values) throws IOException {
        CRC32 crc = new CRC32();
        TensorWriter.stream(Channels.newChannel(new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
            }
        }), name, shape, dtype, values);
        return crc.getValue();
    }

    /** Writes {@code data} as one STORED (uncompressed) entry, as torch's archives hold their records. */
    public static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry z = new ZipEntry(name);
        z.setMethod(ZipEntry.STORED);
        z.setSize(data.length);
        z.setCompressedSize(data.length);
        CRC32 c = new CRC32();
        c.update(data);
        z.setCrc(c.getValue());
        zip.putNextEntry(z);
        zip.write(data);
        zip.closeEntry();
    }

    /** The pickle: {part: {name: _rebuild_tensor_v2(persistent storage, 0, size, stride, False, OrderedDict())}}. */
    static byte[] pickle(Map<String, Map<String, long[]>> parts, DType dtype) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.write('}');
        p.write('(');
        int key = 0;
        String storage = dtype == DType.F16 ? "HalfStorage" : "FloatStorage";
        for (Map.Entry<String, Map<String, long[]>> part : parts.entrySet()) {
            unicode(p, part.getKey());
            p.write('}');
            p.write('(');
            for (Map.Entry<String, long[]> t : part.getValue().entrySet()) {
                unicode(p, t.getKey());
                global(p, "torch._utils", "_rebuild_tensor_v2");
                p.write('(');
                p.write('(');
                unicode(p, "storage");
                global(p, "torch", storage);
                unicode(p, Integer.toString(key++));
                unicode(p, "cpu");
                integer(p, TensorWriter.elements(t.getValue()));
                p.write('t');
                p.write('Q'); // BINPERSID
                integer(p, 0);
                long[] shape = t.getValue();
                p.write('(');
                for (long d : shape) integer(p, d);
                p.write('t');
                p.write('(');
                long stride = 1;
                long[] strides = new long[shape.length];
                for (int i = shape.length - 1; i >= 0; i--) {
                    strides[i] = stride;
                    stride *= shape[i];
                }
                for (long s : strides) integer(p, s);
                p.write('t');
                p.write(0x89); // NEWFALSE
                global(p, "collections", "OrderedDict");
                p.write(')');
                p.write('R');
                p.write('t');
                p.write('R');
            }
            p.write('u');
        }
        p.write('u');
        p.write('.');
        return p.toByteArray();
    }

    /** Pickle BINUNICODE: 'X', 4-byte little-endian length, UTF-8 bytes. */
    public static void unicode(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        for (int i = 0; i < 4; i++) p.write((b.length >>> (8 * i)) & 0xff);
        p.write(b, 0, b.length);
    }

    /** Pickle GLOBAL: 'c' module newline name newline. */
    public static void global(ByteArrayOutputStream p, String module, String name) {
        byte[] b = ("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
        p.write(b, 0, b.length);
    }

    private static void integer(ByteArrayOutputStream p, long v) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            // LONG1 with 8 little-endian bytes
            p.write(0x8a);
            p.write(8);
            for (int i = 0; i < 8; i++) p.write((int) ((v >>> (8 * i)) & 0xff));
            return;
        }
        p.write('J');
        for (int i = 0; i < 4; i++) p.write((int) ((v >>> (8 * i)) & 0xff));
    }
}
