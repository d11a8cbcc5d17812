package dev.arkonis.ark.llm;

import java.util.Map;

/** Builds the provider (with its MCP and HTTP tools) an agent uses, from the agent's environment. */
public final class LlmSetup {
    private LlmSetup() {
    }

    public static LlmProvider fromEnv(Map<String, String> env) throws LlmException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
