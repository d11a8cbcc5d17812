package dev.arkonis.ark.llm.chat;

import java.util.StringJoiner;

/** The system prompt a real model sees: the role's prompt, the MCP servers' guidance, and the output schema. */
final class SystemPrompt {
    private SystemPrompt() {
    }

    static String of(String rolePrompt, String toolGuidance, String outputSchema) {
        StringJoiner out = new StringJoiner("\n\n");
        if (rolePrompt != null && !rolePrompt.isBlank()) {
            out.add(rolePrompt.strip());
        }
        if (toolGuidance != null && !toolGuidance.isBlank()) {
            out.add(toolGuidance.strip());
        }
        if (outputSchema != null && !outputSchema.isBlank()) {
            // Told in words, not through a provider's structured-output mode, so every OpenAI-compatible server copes.
            out.add("Answer with a single JSON value and nothing else. It must satisfy this JSON Schema:\n"
                    + outputSchema.strip());
        }
        return out.toString();
    }
}
