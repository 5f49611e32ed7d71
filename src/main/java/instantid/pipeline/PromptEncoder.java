package instantid.pipeline;

import instantid.common.UserException;

import java.util.Locale;

/**
 * How prompts become text embeddings. {@link #LPW}: InstantID's app pipeline (weights such as
 * {@code (word:1.2)}, prompts of any length in 75-token chunks; {@link LongPromptEncoding}) — the
 * default. {@link #PLAIN}: diffusers' {@code encode_prompt} as {@code infer.py} uses it (brackets
 * are text, 77 tokens at most, the rest dropped; {@link PromptEncoding}).
 */
public enum PromptEncoder {
    LPW("lpw"),
    PLAIN("plain");

    private final String key;

    PromptEncoder(String key) {
        this.key = key;
    }

    /** The name in settings JSON and on the command line. */
    public String key() {
        return key;
    }

    public static PromptEncoder parse(String s) {
        for (PromptEncoder p : values()) if (p.key.equals(s.trim().toLowerCase(Locale.ROOT))) return p;
        throw new UserException("prompt encoding '" + s + "': use lpw (the app's weighted, long prompts)"
                + " or plain (infer.py's, 77 tokens)");
    }
}
