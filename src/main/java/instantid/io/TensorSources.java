package instantid.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens any weight file the plugin reads, recognised by its content (not its name): safetensors,
 * a sharded {@code *.safetensors.index.json}, or a {@code torch.save} zip. Anything else — a
 * legacy (pre-1.6) torch pickle, an ONNX model, GGUF, a folder — is an error that names the file
 * and says what it looks like and what to give instead.
 */
public final class TensorSources {

    private TensorSources() {
    }

    /** Opens a weight file. */
    public static TensorSource open(Path path) {
        String fn = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path)) {
            throw WeightFileException.of(path, "is a folder, not a weight file (give the .safetensors/.bin"
                    + " file inside it, or open the folder as a model)");
        }
        if (!Files.isRegularFile(path)) throw WeightFileException.of(path, "no such file");
        if (fn.endsWith(".index.json")) return ShardedSafetensors.open(path);
        byte[] head = new byte[16];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
            size = Files.size(path);
        } catch (IOException e) {
            throw new WeightFileException(path + ": cannot read: " + e.getMessage(), e);
        }
        Kind k = sniff(head, n, size, fn);
        switch (k) {
            case SAFETENSORS: return Safetensors.open(path);
            case TORCH_ZIP: return TorchPickle.open(path);
            case TORCH_LEGACY:
                throw WeightFileException.of(path, "is a legacy (pre-1.6, non-zip) torch pickle, which is not read;"
                        + " re-save it with a current torch.save or as .safetensors");
            case ONNX:
                throw WeightFileException.of(path, "is an ONNX model (face detector/recogniser), not a weight file"
                        + " of tensors: give it as a face model instead");
            case GGUF:
                throw WeightFileException.of(path, "is a GGUF file (quantised llama.cpp/stable-diffusion.cpp weights),"
                        + " which is not read: use the .safetensors release");
            default:
                throw WeightFileException.of(path, "is not a weight file this plugin reads (expected .safetensors,"
                        + " a .safetensors.index.json or a torch.save zip such as ip-adapter.bin)"
                        + (n == 0 ? ": it is empty" : ""));
        }
    }

    /** Opens one top-level part of a file ({@code ip-adapter.bin} + {@code image_proj}); null part = whole file. */
    public static TensorSource open(Path path, String part) {
        TensorSource s = open(path);
        return part == null || part.isEmpty() ? s : PartSource.of(s, part, true);
    }

    /** Opens {@code file#part} notation as used by the fixtures' weight lists. */
    public static TensorSource openEntry(Path base, String entry) {
        int h = entry.indexOf('#');
        return h < 0 ? open(base.resolve(entry)) : open(base.resolve(entry.substring(0, h)), entry.substring(h + 1));
    }

    /** What a file's first bytes say it is. */
    public enum Kind { SAFETENSORS, TORCH_ZIP, TORCH_LEGACY, ONNX, GGUF, UNKNOWN }

    static Kind sniff(byte[] head, int n, long size, String lowerName) {
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Kind.TORCH_ZIP;
        if (n >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') return Kind.GGUF;
        if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) return Kind.TORCH_LEGACY;
        if (n >= 9) {
            long len = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (len > 0 && head[8] == '{') return Kind.SAFETENSORS;
        }
        if (lowerName.endsWith(".onnx") || (n >= 2 && head[0] == 0x08 && head[1] > 0 && head[1] < 16)) return Kind.ONNX;
        if (lowerName.endsWith(".safetensors")) return Kind.SAFETENSORS; // let the reader name what is wrong
        return Kind.UNKNOWN;
    }
}
