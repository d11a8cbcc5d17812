package dev.arkonis.ark.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.TaskTools;
import dev.arkonis.ark.llm.tools.BuiltinTools;
import dev.arkonis.ark.llm.tools.Delegator;
import dev.arkonis.ark.llm.tools.ToolException;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.ModelTaskExecutor;
import dev.arkonis.ark.llm.RetryListener;
import dev.arkonis.ark.queue.TaskMessage;
import dev.arkonis.ark.queue.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one task against the model within its time limit; knows nothing of Redis. */
final class TaskRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a task's delegate calls reach the operator and their answers come back, until {@code end}. */
    @FunctionalInterface
    interface Delegators {
        Delegators NONE = (task, end) -> (call, role, text) -> {
            throw new ToolException("delegation is not available to this agent");
        };

        Delegator forTask(TaskMessage task, Instant end);
    }

    private final ModelTaskExecutor model;
    private final AgentConfig config;
    private final Clock clock;
    private final ExecutorService calls;
    private final Delegators delegators;

    /** @param calls runs model calls, so a call can be abandoned (interrupted) at the time limit */
    TaskRunner(LlmProvider provider, AgentConfig config, Clock clock, ExecutorService calls) {
        this(provider, config, clock, calls, Delegators.NONE);
    }

    TaskRunner(LlmProvider provider, AgentConfig config, Clock clock, ExecutorService calls, Delegators delegators) {
        this.model = new ModelTaskExecutor(provider, config.model(), config.systemPrompt());
        this.config = config;
        this.clock = clock;
        this.calls = calls;
        this.delegators = delegators;
    }

    /** @throws InterruptedException when the agent abandons the task (shutdown); no result then */
    AnsweredTask run(TaskMessage task) throws InterruptedException {
        Instant start = clock.instant();
        Instant timeoutAt = start.plus(config.taskTimeout());
        boolean deadlineFirst = task.deadline() != null && !task.deadline().isAfter(timeoutAt);
        Instant end = deadlineFirst ? task.deadline() : timeoutAt;
        String limitMessage = deadlineFirst
                ? "deadline exceeded"
                : "timed out after " + config.taskTimeout().toSeconds() + "s";
        if (!end.isAfter(start)) {
            return failed(task, limitMessage, start);
        }
        // the call's thread continues the task's span and log context
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        Future<ModelTaskExecutor.Answer> call = calls.submit(Context.current().wrap(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                return model.execute(task.prompt(), task.outputSchema(), maxTokens(task), end, RetryListener.LOG,
                        BuiltinTools.of(new TaskTools(task.delegates(), capabilities(task)), delegators.forTask(task, end)));
            } finally {
                MDC.clear();
            }
        }));
        try {
            ModelTaskExecutor.Answer answer = call.get(Duration.between(start, end).toMillis(), TimeUnit.MILLISECONDS);
            if (!answer.succeeded()) {
                return failed(task, answer.error(), start);
            }
            Completion completion = answer.completion();
            TokenUsage usage = completion.usage();
            return new AnsweredTask(TaskResult.succeeded(task.task(), completion.text(), usage.inputTokens(),
                    usage.outputTokens(), config.podName(), elapsedMs(start), task.extra()), completion.calls());
        } catch (TimeoutException e) {
            call.cancel(true);
            return failed(task, limitMessage, start);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // the executor answers every failure of the call; only the agent's own (an Error) ends up here
            return failed(task, "agent error: " + e.getCause(), start);
        }
    }

    /** The capabilities a router call chooses among; a task with none (or unreadable ones) offers no route tool. */
    private static List<Capability> capabilities(TaskMessage task) {
        if (task.route() == null) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(task.route(), Capability[].class));
        } catch (Exception e) {
            return List.of();
        }
    }

    private int maxTokens(TaskMessage task) {
        return task.maxTokens() > 0 ? Math.min(task.maxTokens(), config.maxTokensPerCall()) : config.maxTokensPerCall();
    }

    private AnsweredTask failed(TaskMessage task, String error, Instant start) {
        return new AnsweredTask(TaskResult.failed(task.task(), error, 0, 0, config.podName(), elapsedMs(start),
                task.extra()), List.of());
    }

    private long elapsedMs(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }
}
