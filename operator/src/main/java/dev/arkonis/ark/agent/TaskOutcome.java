package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.TaskResult;
import java.util.List;

/** What running one task produced: the result to send and the LLM calls to put in the ledger. */
record TaskOutcome(TaskResult result, List<TokenUsage> calls) {
    TaskOutcome {
        calls = List.copyOf(calls);
    }
}
