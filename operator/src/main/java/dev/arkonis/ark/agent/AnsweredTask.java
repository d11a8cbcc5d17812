package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.TaskResult;
import java.util.List;

/** A task the agent has answered: the result to send (succeeded or failed) and the LLM calls to put in the ledger. */
record AnsweredTask(TaskResult result, List<TokenUsage> calls) {
    AnsweredTask {
        calls = List.copyOf(calls);
    }
}
