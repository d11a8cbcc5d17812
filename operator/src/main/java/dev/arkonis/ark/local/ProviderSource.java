package dev.arkonis.ark.local;

import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;

/** The model a role talks to in a local run. */
@FunctionalInterface
public interface ProviderSource {
    LlmProvider forRole(TeamRole role) throws LlmException;
}
