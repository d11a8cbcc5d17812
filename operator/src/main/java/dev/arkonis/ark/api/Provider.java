package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** LLM provider of a role; when absent it is detected from the model name. */
public enum Provider {
    @JsonProperty("openai") OPENAI,
    @JsonProperty("anthropic") ANTHROPIC,
    @JsonProperty("mock") MOCK;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** As the original ark detects it: claude-* is anthropic; all else (gpt-*, o1*, OpenAI-compatible) is openai. */
    public static Provider detect(String model) {
        if (model != null && model.startsWith("claude-")) {
            return ANTHROPIC;
        }
        return OPENAI;
    }

    public static Provider of(String name) {
        for (Provider p : values()) {
            if (p.wireName().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown provider '" + name + "' (expected openai, anthropic or mock)");
    }
}
