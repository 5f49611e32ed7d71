package instantid.text;

import instantid.common.UserException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt-weight syntax of InstantID's app pipeline ({@code LongPromptWeight} in
 * {@code pipeline_stable_diffusion_xl_instantid_full.py}, copied from diffusers' community
 * {@code lpw_stable_diffusion_xl.py}), rule for rule:
 * <ul>
 * <li>{@code (text)} multiplies the weight of its text by 1.1, {@code [text]} by 1/1.1,
 *     {@code (text:1.3)} by 1.3; brackets nest (multiply); an unclosed bracket acts up to the end;
 *     a closing bracket without its opening one is text.</li>
 * <li>{@code \(}, {@code \)}, {@code \[}, {@code \]}, {@code \\} are the literal characters; a lone
 *     {@code \} is kept.</li>
 * <li>{@code BREAK} (upper case, a word of its own) becomes the segment {@code "BREAK"} with weight
 *     −1: the app's encoder has no chunk break, so the word "break" is encoded with weight −1.</li>
 * <li>Neighbouring segments of exactly equal weight are merged; an empty prompt is one empty
 *     segment of weight 1.</li>
 * </ul>
 * {@link #tokens} then gives every token of the prompt (no start/end token, no truncation) with
 * the weight of its segment, each segment tokenized on its own.
 */
public final class PromptWeights {

    /** One run of text and its weight. */
    public record Segment(String text, double weight) {
    }

    /** Token ids (no start/end token) and one weight per token. */
    public record Tokens(long[] ids, double[] weights) {
        public int size() {
            return ids.length;
        }
    }

    private static final Pattern ATTENTION = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:([+-]?[.\\d]+)\\)|\\)|]|[^\\\\()\\[\\]:]+|:");
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*",
            Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS);
    private static final double ROUND = 1.1;
    private static final double SQUARE = 1 / 1.1;

    private PromptWeights() {
    }

    /** {@code parse_prompt_attention}: the prompt as weighted segments. */
    public static List<Segment> parse(String text) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        List<Integer> square = new ArrayList<>();
        Matcher m = ATTENTION.matcher(text);
        while (m.find()) {
            String t = m.group();
            String w = m.group(1);
            if (t.startsWith("\\")) {
                texts.add(t.substring(1));
                weights.add(1.0);
            } else if (t.equals("(")) {
                round.add(texts.size());
            } else if (t.equals("[")) {
                square.add(texts.size());
            } else if (w != null && !round.isEmpty()) {
                multiply(weights, round.remove(round.size() - 1), number(w, text));
            } else if (t.equals(")") && !round.isEmpty()) {
                multiply(weights, round.remove(round.size() - 1), ROUND);
            } else if (t.equals("]") && !square.isEmpty()) {
                multiply(weights, square.remove(square.size() - 1), SQUARE);
            } else {
                String[] parts = BREAK.split(t, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        texts.add("BREAK");
                        weights.add(-1.0);
                    }
                    texts.add(parts[i]);
                    weights.add(1.0);
                }
            }
        }
        for (int p : round) multiply(weights, p, ROUND);
        for (int p : square) multiply(weights, p, SQUARE);
        if (texts.isEmpty()) {
            texts.add("");
            weights.add(1.0);
        }
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.weight() == weights.get(i)) {
                out.set(out.size() - 1, new Segment(last.text() + texts.get(i), last.weight()));
            } else {
                out.add(new Segment(texts.get(i), weights.get(i)));
            }
        }
        return out;
    }

    private static void multiply(List<Double> weights, int from, double by) {
        for (int p = from; p < weights.size(); p++) weights.set(p, weights.get(p) * by);
    }

    private static double number(String w, String prompt) {
        try {
            return Double.parseDouble(w);
        } catch (NumberFormatException e) {
            throw new UserException("prompt weight ':" + w + ")' is not a number in the prompt '" + prompt
                    + "': write (text:1.2), or \\( \\) for literal brackets");
        }
    }

    /**
     * {@code get_prompts_tokens_with_weights}: each segment tokenized on its own, every token
     * carrying its segment's weight.
     */
    public static Tokens tokens(ClipTokenizer tokenizer, String prompt) {
        long[] ids = new long[0];
        double[] weights = new double[0];
        for (Segment s : parse(prompt)) {
            long[] t = tokenizer.ids(s.text());
            int n = ids.length;
            ids = Arrays.copyOf(ids, n + t.length);
            weights = Arrays.copyOf(weights, n + t.length);
            System.arraycopy(t, 0, ids, n, t.length);
            Arrays.fill(weights, n, n + t.length, s.weight());
        }
        return new Tokens(ids, weights);
    }

    /** The tokens padded at the end to {@code length} with {@code padId}, weight 1. */
    public static Tokens padTo(Tokens t, int length, long padId) {
        if (t.size() >= length) return t;
        long[] ids = Arrays.copyOf(t.ids(), length);
        double[] w = Arrays.copyOf(t.weights(), length);
        Arrays.fill(ids, t.size(), length, padId);
        Arrays.fill(w, t.size(), length, 1.0);
        return new Tokens(ids, w);
    }

    /**
     * {@code group_tokens_and_weights} (without {@code pad_last_block}, as the app calls it): full
     * chunks of 75 tokens, then the rest (possibly none), each chunk as start token + tokens + end
     * token with weights 1 on both ends. A chunk shorter than 75 is not padded: 40 tokens give
     * one chunk of 42; exactly 75 give a chunk of 77 and a chunk of 2.
     */
    public static List<Tokens> chunks(Tokens t, long bos, long eos) {
        List<Tokens> out = new ArrayList<>();
        int at = 0;
        while (t.size() - at >= 75) {
            out.add(chunk(t, at, 75, bos, eos));
            at += 75;
        }
        out.add(chunk(t, at, t.size() - at, bos, eos));
        return out;
    }

    private static Tokens chunk(Tokens t, int from, int n, long bos, long eos) {
        long[] ids = new long[n + 2];
        double[] w = new double[n + 2];
        ids[0] = bos;
        w[0] = 1.0;
        System.arraycopy(t.ids(), from, ids, 1, n);
        System.arraycopy(t.weights(), from, w, 1, n);
        ids[n + 1] = eos;
        w[n + 1] = 1.0;
        return new Tokens(ids, w);
    }
}
