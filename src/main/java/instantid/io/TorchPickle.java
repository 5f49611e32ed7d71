package instantid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@code torch.save} zip file ({@code <archive>/data.pkl} + {@code <archive>/data/<key>}
 * storages), e.g. InstantID's {@code ip-adapter.bin}, read as a {@link TensorSource}. The pickle is
 * read by a restricted {@link Unpickler} that executes nothing; nested dicts are flattened with
 * '.' ({@code image_proj.latents}, {@code ip_adapter.1.to_k_ip.weight}); non-tensor entries
 * (step counters, metadata) are left out. Contiguous little-endian tensors of stored entries are
 * memory-mapped in place; others (strided views, big-endian files, deflated entries) are copied
 * once into a direct buffer. {@link TensorInfo#begin()} is the tensor's absolute byte offset in the
 * file for mapped tensors.
 */
public final class TorchPickle implements TensorSource {

    /** Largest data.pkl read: ~100 bytes per tensor, so room for far more tensors than any model has. */
    static final long MAX_PICKLE = 64L << 20;

    private record Item(Unpickler.Tensor t, ZipIndex.Entry storage, TensorInfo info) {
    }

    private final Path path;
    private final FileChannel channel;
    private final ZipIndex zip;
    private final boolean bigEndian;
    private final Map<String, Item> items;

    private TorchPickle(Path path, FileChannel channel, ZipIndex zip, boolean bigEndian, Map<String, Item> items) {
        this.path = path;
        this.channel = channel;
        this.zip = zip;
        this.bigEndian = bigEndian;
        this.items = items;
    }

    /** Opens and checks a torch zip file; {@link WeightFileException} names what is wrong. */
    public static TorchPickle open(Path path) {
        if (!Files.isRegularFile(path)) throw WeightFileException.of(path, "no such file");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            ZipIndex zip = ZipIndex.read(path, ch);
            ZipIndex.Entry pkl = null;
            for (ZipIndex.Entry e : zip.entries().values()) {
                if (e.name().equals("data.pkl") || e.name().endsWith("/data.pkl")) {
                    if (pkl == null || e.name().length() < pkl.name().length()) pkl = e;
                }
            }
            if (pkl == null) {
                throw WeightFileException.of(path, "a zip without data.pkl: not a torch.save file");
            }
            String archive = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
            boolean big = false;
            ZipIndex.Entry bo = zip.entries().get(archive + "byteorder");
            if (bo != null) {
                String s = StandardCharsets.US_ASCII.decode(zip.bytes(bo)).toString().trim();
                if (!s.equals("little") && !s.equals("big")) {
                    throw WeightFileException.of(path, "byteorder entry says '" + s + "'");
                }
                big = s.equals("big");
            }
            if (pkl.size() > MAX_PICKLE) {
                throw WeightFileException.of(path, "'" + pkl.name() + "' declares " + pkl.size() + " bytes; a state dict's"
                        + " pickle is far smaller (about 100 bytes a tensor, at most " + MAX_PICKLE + "); refusing to load");
            }
            ByteBuffer pb = zip.bytes(pkl, MAX_PICKLE);
            byte[] pickle = new byte[pb.remaining()];
            pb.get(pickle);
            Object root = Unpickler.load(path, pkl.name(), pickle);
            if (!(root instanceof Map)) {
                throw WeightFileException.of(path, "data.pkl holds no dict of tensors (a whole pickled model?"
                        + " only state dicts are read)");
            }
            Map<String, Item> items = new LinkedHashMap<>();
            for (Map.Entry<String, Unpickler.Tensor> e : StateDictWalk.flatten(path, (Map<?, ?>) root).entrySet()) {
                items.put(e.getKey(), item(path, zip, archive, e.getKey(), e.getValue()));
            }
            if (items.isEmpty()) {
                throw WeightFileException.of(path, "data.pkl holds no tensors: not a weight file (or an empty state dict)");
            }
            TorchPickle t = new TorchPickle(path, ch, zip, big, Collections.unmodifiableMap(items));
            ch = null;
            return t;
        } catch (IOException e) {
            throw new WeightFileException(path + ": cannot read: " + e.getMessage(), e);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // a last line of defence: the limits of the reader should stop every hostile file before this
            throw WeightFileException.of(path, "needs more " + (e instanceof StackOverflowError ? "nesting" : "memory")
                    + " than a tensor state dict ever does; refusing to load it");
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    private static Item item(Path path, ZipIndex zip, String archive, String name, Unpickler.Tensor t) {
        ZipIndex.Entry e = zip.entries().get(archive + "data/" + t.storage().key());
        if (e == null) {
            throw WeightFileException.of(path, name, "its storage '" + archive + "data/" + t.storage().key()
                    + "' is missing from the zip: the file is truncated or corrupt");
        }
        DType dt = t.storage().dtype();
        if (t.shape().length != t.stride().length) {
            throw WeightFileException.of(path, name, "shape " + Arrays.toString(t.shape()) + " and stride "
                    + Arrays.toString(t.stride()) + " differ in rank");
        }
        try {
            return checkedItem(path, e, name, t, dt);
        } catch (ArithmeticException overflow) {
            throw WeightFileException.of(path, name, "shape " + Arrays.toString(t.shape()) + ", stride "
                    + Arrays.toString(t.stride()) + " and offset " + t.offset() + " overflow: the file is corrupt");
        }
    }

    private static Item checkedItem(Path path, ZipIndex.Entry e, String name, Unpickler.Tensor t, DType dt) {
        long elements = 1, span = 1;
        for (int i = 0; i < t.shape().length; i++) {
            if (t.shape()[i] < 0 || t.stride()[i] < 0) {
                throw WeightFileException.of(path, name, "negative size or stride");
            }
            elements = Math.multiplyExact(elements, t.shape()[i]);
            span = Math.addExact(span, Math.multiplyExact(t.shape()[i] - 1, t.stride()[i]));
        }
        if (elements == 0) span = 0;
        long needed = Math.multiplyExact(Math.addExact(t.offset(), span), (long) dt.bytes);
        if (t.offset() < 0 || needed > e.size()) {
            throw WeightFileException.of(path, name, "reads up to byte " + needed + " of storage '" + e.name()
                    + "', which holds " + e.size() + " bytes: the file is corrupt");
        }
        long begin = e.dataOffset() + t.offset() * dt.bytes;
        return new Item(t, e, new TensorInfo(name, dt, t.shape().clone(), begin, begin + elements * dt.bytes));
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return items.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return item(name).info();
    }

    private Item item(String name) {
        Item it = items.get(name);
        if (it == null) throw WeightFileException.of(path, name, "not in this file");
        return it;
    }

    /** Whether the tensor's elements lie densely in row-major order in its storage. */
    static boolean contiguous(long[] shape, long[] stride) {
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expect) return false;
            expect *= shape[i];
        }
        return true;
    }

    @Override
    public ByteBuffer bytes(String name) {
        Item it = item(name);
        TensorInfo info = it.info();
        int es = info.dtype().bytes;
        if (info.byteSize() > Integer.MAX_VALUE) {
            throw WeightFileException.of(path, name, "a single tensor over 2 GiB is not supported");
        }
        boolean dense = contiguous(it.t().shape(), it.t().stride());
        try {
            if (dense && !bigEndian && it.storage().method() == 0) {
                if (info.byteSize() == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
                return channel.map(FileChannel.MapMode.READ_ONLY, info.begin(), info.byteSize())
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            ByteBuffer src = zip.bytes(it.storage());
            ByteBuffer out;
            try {
                out = ByteBuffer.allocateDirect((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            } catch (OutOfMemoryError oom) {
                throw WeightFileException.of(path, name, "needs " + info.byteSize() + " bytes of memory to copy out of"
                        + " its storage, more than Java may use now: give Java more memory (-Xmx)");
            }
            long[] shape = it.t().shape(), stride = it.t().stride();
            long[] idx = new long[shape.length];
            long n = info.elements();
            byte[] el = new byte[es];
            for (long k = 0; k < n; k++) {
                long off = it.t().offset();
                for (int d = 0; d < shape.length; d++) off += idx[d] * stride[d];
                int pos = (int) (off * es);
                for (int j = 0; j < es; j++) el[j] = src.get(pos + (bigEndian ? es - 1 - j : j));
                out.put(el);
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++idx[d] < shape[d]) break;
                    idx[d] = 0;
                }
            }
            out.flip();
            return out;
        } catch (IOException e) {
            throw new WeightFileException(path + ": tensor '" + name + "': cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
