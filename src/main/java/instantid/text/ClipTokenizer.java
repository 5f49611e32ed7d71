package instantid.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE, token for token as transformers' (slow) {@code CLIPTokenizer}, from a
 * model's {@code tokenizer/} folder ({@code vocab.json}, {@code merges.txt}, and
 * {@code special_tokens_map.json} / {@code tokenizer_config.json} for the special tokens).
 * The special tokens (start, end, unknown, pad) are split out of the text first, exactly where they
 * occur — so SDXL's second tokenizer, which pads with {@code "!"}, turns every "!" of a prompt into
 * the bare {@code "!"} token as the reference does. Each remaining piece is normalised as the
 * reference's normalizer does (transformers 5's {@code CLIPTokenizer}, backed by the tokenizers
 * library: NFC, every run of whitespace to one space, lower case — no ftfy clean-up: curly quotes,
 * ligatures, full-width forms and HTML entities stay as typed, and a CJK run stays one word), split
 * by CLIP's pattern, mapped byte-wise to unicode and merged by rank with {@code </w>} ending each
 * word. {@link #encode} adds start/end,
 * truncates keeping the end token last and pads to the maximum length.
 */
public final class ClipTokenizer {

    /** Token ids of one text, padded to the length asked for, and how many tokens truncation dropped. */
    public record Encoding(long[] ids, int length, int dropped) {
        /** The attention mask: 1 for start, text and end tokens, 0 for padding. */
        public long[] mask() {
            long[] m = new long[ids.length];
            Arrays.fill(m, 0, Math.min(length, ids.length), 1);
            return m;
        }
    }

    /** CLIP reads only this many merges of merges.txt (transformers: lines 1 .. 49152-256-2). */
    private static final int MAX_MERGES = 49152 - 256 - 2;

    private static final Pattern PAT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String[] BYTE_TO_UNICODE = bytesToUnicode();

    private final Path folder;
    private final Map<String, Integer> vocab;
    private final Map<String, Integer> ranks;
    private final String bos, eos, unk, pad;
    private final List<String> specials;
    private final int maxLength;
    private final Map<String, String[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(Path folder, Map<String, Integer> vocab, Map<String, Integer> ranks,
                          String bos, String eos, String unk, String pad, int maxLength) {
        this.folder = folder;
        this.vocab = vocab;
        this.ranks = ranks;
        this.bos = bos;
        this.eos = eos;
        this.unk = unk;
        this.pad = pad;
        this.maxLength = maxLength;
        // the added tokens, longest first so that a longer one wins where two start at one place
        Set<String> s = new LinkedHashSet<>(List.of(bos, eos, unk, pad));
        List<String> l = new ArrayList<>(s);
        l.sort((a, b) -> b.length() - a.length());
        this.specials = Collections.unmodifiableList(l);
        for (String t : s) {
            if (!vocab.containsKey(t)) {
                throw new IllegalArgumentException(folder + ": special token '" + t + "' is not in vocab.json");
            }
        }
    }

    /** Reads a tokenizer folder; a missing or broken file is an error naming it. */
    public static ClipTokenizer load(Path folder) {
        Path vocabFile = folder.resolve("vocab.json"), mergesFile = folder.resolve("merges.txt");
        for (Path p : List.of(vocabFile, mergesFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + ": missing — a CLIP tokenizer folder needs vocab.json and merges.txt");
            }
        }
        Map<String, Integer> vocab = new HashMap<>();
        try {
            JsonObject o = JsonParser.parseString(Files.readString(vocabFile, StandardCharsets.UTF_8)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) vocab.put(e.getKey(), e.getValue().getAsInt());
        } catch (IOException e) {
            throw new UncheckedIOException(vocabFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(vocabFile + ": not a vocabulary (token → id JSON): " + e.getMessage(), e);
        }
        Map<String, Integer> ranks = new HashMap<>();
        try {
            String[] lines = Files.readString(mergesFile, StandardCharsets.UTF_8).strip().split("\n");
            for (int i = 1; i < lines.length && i <= MAX_MERGES; i++) {
                String[] pair = lines[i].trim().split("\\s+");
                if (pair.length != 2) {
                    throw new IllegalArgumentException(mergesFile + ": line " + (i + 1) + " is not a pair of symbols: '" + lines[i] + "'");
                }
                ranks.put(pair[0] + " " + pair[1], i - 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(mergesFile + ": " + e.getMessage(), e);
        }
        JsonObject cfg = new JsonObject();
        for (String f : List.of("tokenizer_config.json", "special_tokens_map.json")) {
            Path p = folder.resolve(f);
            if (!Files.isRegularFile(p)) continue;
            try {
                JsonObject o = JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
                for (Map.Entry<String, JsonElement> e : o.entrySet()) cfg.add(e.getKey(), e.getValue());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(p + ": not valid JSON: " + e.getMessage(), e);
            }
        }
        int max = cfg.has("model_max_length") && cfg.get("model_max_length").isJsonPrimitive()
                ? (int) Math.min(cfg.get("model_max_length").getAsDouble(), 1 << 20) : 77;
        return new ClipTokenizer(folder, vocab, ranks, token(cfg, "bos_token", "<|startoftext|>"),
                token(cfg, "eos_token", "<|endoftext|>"), token(cfg, "unk_token", "<|endoftext|>"),
                token(cfg, "pad_token", "<|endoftext|>"), max);
    }

    private static String token(JsonObject cfg, String key, String dflt) {
        JsonElement e = cfg.get(key);
        if (e == null || e.isJsonNull()) return dflt;
        if (e.isJsonObject()) return e.getAsJsonObject().get("content").getAsString();
        return e.getAsString();
    }

    /** The same vocabulary with another pad token (which becomes a special token, as in transformers). */
    public ClipTokenizer withPad(String padToken) {
        return new ClipTokenizer(folder, vocab, ranks, bos, eos, unk, padToken, maxLength);
    }

    public Path folder() {
        return folder;
    }

    public int maxLength() {
        return maxLength;
    }

    public int bosId() {
        return vocab.get(bos);
    }

    public int eosId() {
        return vocab.get(eos);
    }

    public int padId() {
        return vocab.get(pad);
    }

    public String padToken() {
        return pad;
    }

    /** {@link #encode(String, int)} at the tokenizer's own maximum length (77 for CLIP). */
    public Encoding encode(String text) {
        return encode(text, maxLength);
    }

    /**
     * Start token, the text's tokens, end token, truncated to {@code maxLength} keeping the end token
     * last, padded to {@code maxLength} with the pad token.
     */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) throw new IllegalArgumentException("max_length " + maxLength + " leaves no room for start and end tokens");
        List<String> toks = tokenize(text);
        int keep = Math.min(toks.size(), maxLength - 2);
        long[] ids = new long[maxLength];
        int n = 0;
        ids[n++] = bosId();
        for (int i = 0; i < keep; i++) ids[n++] = id(toks.get(i));
        ids[n++] = eosId();
        int length = n;
        while (n < maxLength) ids[n++] = padId();
        return new Encoding(ids, length, toks.size() - keep);
    }

    /**
     * The ids of a text's tokens, without start or end token, neither truncated nor padded (what
     * {@code tokenizer(text, truncation=False).input_ids[1:-1]} gives).
     */
    public long[] ids(String text) {
        List<String> toks = tokenize(text);
        long[] ids = new long[toks.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = id(toks.get(i));
        return ids;
    }

    private int id(String token) {
        Integer i = vocab.get(token);
        return i != null ? i : vocab.get(unk);
    }

    /** The BPE tokens of a text (no start/end tokens). */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int start = 0, i = 0;
        while (i < text.length()) {
            String sp = specialAt(text, i);
            if (sp == null) {
                i++;
                continue;
            }
            tokenizePiece(text.substring(start, i), out);
            out.add(sp);
            i += sp.length();
            start = i;
        }
        tokenizePiece(text.substring(start), out);
        return out;
    }

    private String specialAt(String text, int i) {
        for (String s : specials) if (text.startsWith(s, i)) return s;
        return null;
    }

    private void tokenizePiece(String piece, List<String> out) {
        if (piece.isEmpty()) return;
        String text = lowerCase(WHITESPACE.matcher(Normalizer.normalize(piece, Normalizer.Form.NFC)).replaceAll(" "));
        Matcher m = PAT.matcher(text);
        while (m.find()) {
            byte[] utf8 = m.group().getBytes(StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder(utf8.length);
            for (byte b : utf8) sb.append(BYTE_TO_UNICODE[b & 0xff]);
            Collections.addAll(out, bpe(sb.toString()));
        }
    }

    /**
     * The tokenizers library's {@code Lowercase} normalizer: every code point on its own, by its full
     * Unicode lower-case mapping (no context rules such as a word-final sigma).
     */
    static String lowerCase(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp < 0x80) sb.append((char) Character.toLowerCase(cp));
            else sb.append(text.substring(i, i + n).toLowerCase(Locale.ROOT));
            i += n;
        }
        return sb.toString();
    }

    private String[] bpe(String token) {
        if (token.equals("<|startoftext|>") || token.equals("<|endoftext|>")) return new String[] {token};
        String[] cached = cache.get(token);
        if (cached != null) return cached;
        List<String> word = new ArrayList<>();
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            word.add(new String(Character.toChars(cp)));
            i += Character.charCount(cp);
        }
        word.set(word.size() - 1, word.get(word.size() - 1) + "</w>");
        while (word.size() > 1) {
            int best = Integer.MAX_VALUE;
            String bf = null, bs = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    bf = word.get(i);
                    bs = word.get(i + 1);
                }
            }
            if (bf == null) break;
            List<String> next = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); ) {
                if (i + 1 < word.size() && word.get(i).equals(bf) && word.get(i + 1).equals(bs)) {
                    next.add(bf + bs);
                    i += 2;
                } else {
                    next.add(word.get(i++));
                }
            }
            word = next;
        }
        String[] result = word.toArray(new String[0]);
        if (cache.size() < 100_000) cache.put(token, result);
        return result;
    }

    /** GPT-2/CLIP's reversible byte → printable character table. */
    private static String[] bytesToUnicode() {
        String[] t = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
            t[b] = String.valueOf((char) (printable ? b : 256 + n++));
        }
        return t;
    }

    @Override
    public String toString() {
        return "CLIP tokenizer " + folder + " (pad '" + pad + "', max " + maxLength + ")";
    }

    public int vocabSize() {
        return vocab.size();
    }
}
