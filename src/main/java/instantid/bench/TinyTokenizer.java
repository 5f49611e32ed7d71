package instantid.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CLIP tokenizer folder with no merges: the 256 byte symbols, the same with {@code </w>}, then
 * {@code <|startoftext|>} and {@code <|endoftext|>} (the largest id, as CLIP's end token is, so
 * pooling at the highest id finds it). Every text tokenizes (byte by byte), so random demo models
 * run from a clone alone; real models bring CLIP's 49408-token vocabulary with them.
 */
public final class TinyTokenizer {

    private TinyTokenizer() {
    }

    /** Writes {@code tokenizer/} (pads with the end token) and {@code tokenizer_2/} (pads with "!") under {@code model}. */
    public static void write(Path model) throws IOException {
        JsonObject vocab = new JsonObject();
        String[] symbols = byteSymbols();
        int id = 0;
        for (String s : symbols) vocab.addProperty(s, id++);
        for (String s : symbols) vocab.addProperty(s + "</w>", id++);
        vocab.addProperty("<|startoftext|>", id++);
        vocab.addProperty("<|endoftext|>", id);
        for (String dir : new String[] {"tokenizer", "tokenizer_2"}) {
            Path d = model.resolve(dir);
            Files.createDirectories(d);
            Files.writeString(d.resolve("vocab.json"), vocab.toString(), StandardCharsets.UTF_8);
            Files.writeString(d.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
            JsonObject cfg = new JsonObject();
            cfg.addProperty("bos_token", "<|startoftext|>");
            cfg.addProperty("eos_token", "<|endoftext|>");
            cfg.addProperty("unk_token", "<|endoftext|>");
            cfg.addProperty("pad_token", dir.equals("tokenizer") ? "<|endoftext|>" : "!");
            cfg.addProperty("model_max_length", 77);
            cfg.addProperty("do_lower_case", true);
            cfg.addProperty("tokenizer_class", "CLIPTokenizer");
            Files.writeString(d.resolve("tokenizer_config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(cfg));
        }
    }

    /** GPT-2 / CLIP's bytes_to_unicode, in byte order. */
    static String[] byteSymbols() {
        String[] m = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            m[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
        }
        return m;
    }
}
