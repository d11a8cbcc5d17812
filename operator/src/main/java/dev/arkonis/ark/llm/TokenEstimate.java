package dev.arkonis.ark.llm;

/**
 * A rough count of the tokens in a text before any model has counted them, as real tokenizers give for English: one
 * per four characters, at least one. Used where a count is needed ahead of a call (a shared rate limit's place in
 * line, a dry run's cost) and by the mock provider; a provider's own count replaces it once it answers.
 */
public final class TokenEstimate {
    private static final int CHARS_PER_TOKEN = 4;

    private TokenEstimate() {
    }

    public static long ofChars(int chars) {
        return Math.max(1, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }

    /** Tokens of these texts read together; absent ones count nothing. */
    public static long of(String... texts) {
        int chars = 0;
        for (String text : texts) {
            chars += text == null ? 0 : text.length();
        }
        return ofChars(chars);
    }
}
