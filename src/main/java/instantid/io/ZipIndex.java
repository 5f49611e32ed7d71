package instantid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The central directory of a zip file (with zip64), enough to find where each entry's bytes lie so
 * that stored (uncompressed) entries — as {@code torch.save} writes them — can be memory-mapped in
 * place. Deflated entries are inflated into a direct buffer. Nothing outside the file is trusted:
 * every offset is checked against the file size and a lie is reported as a truncated/corrupt file.
 */
final class ZipIndex {

    /** Deflate cannot compress better than 1032:1; an entry declaring more lies about its size. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Most bytes a deflated entry may inflate to (torch.save stores storages uncompressed; only re-zipped files deflate). */
    static final long MAX_INFLATED = 1L << 30;

    /** One entry: compression method, sizes and the absolute offset of its data. */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset) {
    }

    private final Path path;
    private final FileChannel ch;
    private final Map<String, Entry> entries;

    private ZipIndex(Path path, FileChannel ch, Map<String, Entry> entries) {
        this.path = path;
        this.ch = ch;
        this.entries = entries;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    static ZipIndex read(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 22 + 65535);
        ByteBuffer t = read(ch, size - tail, tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (t.getInt(i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw WeightFileException.of(path, "no zip end-of-directory record: the file is truncated or not a zip");
        }
        long count = t.getShort(eocd + 10) & 0xffff;
        long cdSize = t.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = t.getInt(eocd + 16) & 0xffffffffL;
        if ((count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) && eocd >= 20
                && t.getInt(eocd - 20) == 0x07064b50) {
            long z64 = t.getLong(eocd - 20 + 8);
            check(path, z64 >= 0 && z64 + 56 <= size, "zip64 directory record outside the file");
            ByteBuffer z = read(ch, z64, 56);
            check(path, z.getInt(0) == 0x06064b50, "bad zip64 directory record");
            count = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        }
        check(path, cdOffset >= 0 && cdSize >= 0 && cdOffset + cdSize <= size && cdSize < Integer.MAX_VALUE,
                "zip directory [" + cdOffset + ", +" + cdSize + "] lies outside the file (" + size + " bytes)");
        ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
        Map<String, Entry> out = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            check(path, p + 46 <= cd.limit() && cd.getInt(p) == 0x02014b50, "corrupt zip directory at entry " + i);
            int method = cd.getShort(p + 10) & 0xffff;
            long comp = cd.getInt(p + 20) & 0xffffffffL;
            long usize = cd.getInt(p + 24) & 0xffffffffL;
            int nlen = cd.getShort(p + 28) & 0xffff;
            int elen = cd.getShort(p + 30) & 0xffff;
            int clen = cd.getShort(p + 32) & 0xffff;
            long local = cd.getInt(p + 42) & 0xffffffffL;
            check(path, p + 46 + nlen + elen <= cd.limit(), "corrupt zip directory at entry " + i);
            byte[] nb = new byte[nlen];
            cd.get(p + 46, nb);
            String name = new String(nb, StandardCharsets.UTF_8);
            // zip64 extra field: the 0xffffffff fields follow in this order
            int e = p + 46 + nlen, eend = e + elen;
            while (e + 4 <= eend) {
                int id = cd.getShort(e) & 0xffff, len = cd.getShort(e + 2) & 0xffff;
                if (id == 0x0001) {
                    int q = e + 4;
                    if (usize == 0xffffffffL && q + 8 <= e + 4 + len) { usize = cd.getLong(q); q += 8; }
                    if (comp == 0xffffffffL && q + 8 <= e + 4 + len) { comp = cd.getLong(q); q += 8; }
                    if (local == 0xffffffffL && q + 8 <= e + 4 + len) { local = cd.getLong(q); }
                }
                e += 4 + len;
            }
            check(path, local >= 0 && local + 30 <= size, "entry '" + name + "' starts outside the file: truncated");
            ByteBuffer lh = read(ch, local, 30);
            check(path, lh.getInt(0) == 0x04034b50, "entry '" + name + "' has no local header: corrupt zip");
            long data = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
            check(path, comp >= 0 && data + comp <= size, "entry '" + name + "' (" + comp
                    + " bytes at " + data + ") runs past the end of the file (" + size + " bytes): the file is truncated");
            if (method == 0) {
                check(path, comp == usize, "entry '" + name + "' is stored uncompressed but declares " + usize
                        + " bytes in " + comp + ": its sizes lie, the file is corrupt");
            } else if (method == 8) {
                check(path, usize <= comp * MAX_DEFLATE_RATIO + 64, "entry '" + name + "' declares " + usize
                        + " bytes from " + comp + " compressed, beyond what deflate can do (" + MAX_DEFLATE_RATIO
                        + ":1): its sizes lie; refusing to load");
            }
            out.put(name, new Entry(name, method, comp, usize, data));
            p += 46 + nlen + elen + clen;
        }
        return new ZipIndex(path, ch, Collections.unmodifiableMap(out));
    }

    /** The whole entry's (uncompressed) bytes: mapped when stored, inflated otherwise. Little-endian order set. */
    ByteBuffer bytes(Entry e) throws IOException {
        return bytes(e, MAX_INFLATED);
    }

    /** As {@link #bytes(Entry)}, refusing a deflated entry of more than {@code maxInflated} bytes. */
    ByteBuffer bytes(Entry e, long maxInflated) throws IOException {
        if (e.size() > Integer.MAX_VALUE) {
            throw WeightFileException.of(path, "zip entry '" + e.name() + "' over 2 GiB is not supported");
        }
        if (e.method() == 0) {
            if (e.size() == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
            return ch.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), e.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (e.method() != 8) {
            throw WeightFileException.of(path, "zip entry '" + e.name() + "' uses compression method "
                    + e.method() + " (only stored and deflate are supported)");
        }
        if (e.size() > maxInflated) {
            throw WeightFileException.of(path, "zip entry '" + e.name() + "' would inflate to " + e.size()
                    + " bytes, more than the " + maxInflated + " such an entry may have (a deflate bomb?); refusing to load"
                    + " (torch.save stores tensors uncompressed: re-save the file with torch.save or as .safetensors)");
        }
        ByteBuffer in = ch.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), e.compressedSize());
        ByteBuffer out;
        try {
            out = ByteBuffer.allocateDirect((int) e.size());
        } catch (OutOfMemoryError oom) {
            throw WeightFileException.of(path, "zip entry '" + e.name() + "' inflates to " + e.size()
                    + " bytes, more than the memory Java may use now; give Java more memory (-Xmx) or store the file uncompressed");
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in);
            while (out.hasRemaining() && !inf.finished()) {
                if (inf.inflate(out) == 0 && (inf.needsInput() || inf.needsDictionary())) break;
            }
            if (!out.hasRemaining() && !inf.finished() && inf.inflate(new byte[1]) > 0) {
                throw WeightFileException.of(path, "zip entry '" + e.name() + "' inflates to more than the " + e.size()
                        + " bytes it declares: its sizes lie; refusing to load");
            }
        } catch (DataFormatException ex) {
            throw WeightFileException.of(path, "zip entry '" + e.name() + "' is corrupt: " + ex.getMessage());
        } finally {
            inf.end();
        }
        check(path, !out.hasRemaining(), "zip entry '" + e.name() + "' inflates to fewer bytes than declared: corrupt");
        out.flip();
        return out.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new IOException("unexpected end of file");
        }
        b.flip();
        return b;
    }

    private static void check(Path path, boolean ok, String what) {
        if (!ok) throw WeightFileException.of(path, what);
    }
}
