package dev.arkonis.ark.local;

import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.TaskOutcome;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.telemetry.SpanAttributes;
import dev.arkonis.ark.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trace of a local run, shaped as a cluster run's: run, a span per step attempt, under it the queue wait and the
 * task, under the task the model and tool calls.
 */
public final class LocalTrace {
    private final Telemetry telemetry;
    private final String team;
    private final Map<String, Span> attempts = new ConcurrentHashMap<>();
    /** Null until the run starts, and always while tracing is off (no OpenTelemetry class is touched then). */
    private Span run;

    /** A run nobody traces. */
    public static LocalTrace none() {
        return new LocalTrace(Telemetry.none(), "");
    }

    public LocalTrace(Telemetry telemetry, String team) {
        this.telemetry = telemetry;
        this.team = team;
    }

    void runStarted(PipelineRun pipelineRun, Instant at) {
        if (!telemetry.tracing()) {
            return;
        }
        run = telemetry.tracer().spanBuilder("run " + team).setNoParent().setStartTimestamp(at)
                .setAttribute(SpanAttributes.TEAM, team).setAttribute(SpanAttributes.RUN, pipelineRun.runId()).startSpan();
    }

    void dispatched(TaskRequest task, Instant at) {
        if (run == null) {
            return;
        }
        Span span = telemetry.tracer().spanBuilder("step " + task.step()).setParent(Context.root().with(run))
                .setStartTimestamp(at)
                .setAttribute(SpanAttributes.STEP, task.step()).setAttribute(SpanAttributes.ROLE, task.role())
                .setAttribute(SpanAttributes.ATTEMPT, (long) task.attempt()).setAttribute(SpanAttributes.TASK, task.taskId())
                .startSpan();
        attempts.put(task.taskId(), span);
    }

    /** The time a task waited for a free slot of its role, as the queue wait of a cluster run. */
    void taken(TaskRequest task, Instant queuedAt, Instant takenAt) {
        if (run == null) {
            return;
        }
        telemetry.tracer().spanBuilder("queue " + task.role()).setParent(parent(task)).setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(queuedAt).setAttribute(SpanAttributes.ROLE, task.role()).startSpan().end(takenAt);
    }

    /** The agent-side span of a task; the model calls made while its scope is open are its children. */
    TaskScope taskStarted(TaskRequest task) {
        if (run == null) {
            return new TaskScope(null);
        }
        return new TaskScope(telemetry.tracer().spanBuilder("task " + task.step()).setParent(parent(task))
                .setAttribute(SpanAttributes.STEP, task.step()).setAttribute(SpanAttributes.ROLE, task.role())
                .setAttribute(SpanAttributes.ATTEMPT, (long) task.attempt()).startSpan());
    }

    /** A task's span, current on its worker thread while the model is called (nothing while tracing is off). */
    static final class TaskScope implements AutoCloseable {
        private final Span span;
        private final Scope scope;

        TaskScope(Span span) {
            this.span = span;
            this.scope = span == null ? null : span.makeCurrent();
        }

        void ended(TaskOutcome outcome) {
            if (span == null) {
                return;
            }
            tokens(span, outcome.usage());
            if (!outcome.succeeded()) {
                span.setStatus(StatusCode.ERROR, outcome.error() == null ? "" : outcome.error());
            }
        }

        @Override
        public void close() {
            if (span != null) {
                scope.close();
                span.end();
            }
        }
    }

    void resultApplied(String taskId, TaskOutcome outcome, Instant at) {
        if (run == null) {
            return;
        }
        Span span = attempts.remove(taskId);
        if (span == null) {
            return;
        }
        tokens(span, outcome.usage());
        span.setAttribute(SpanAttributes.OUTCOME, outcome.succeeded() ? "succeeded" : "failed");
        if (!outcome.succeeded()) {
            span.setStatus(StatusCode.ERROR, outcome.error() == null ? "" : outcome.error());
        }
        span.end(at);
    }

    void runFinished(PipelineRun pipelineRun, Instant at) {
        if (run == null) {
            return;
        }
        attempts.values().forEach(span -> {
            span.setAttribute(SpanAttributes.OUTCOME, "abandoned");
            span.end(at);
        });
        attempts.clear();
        tokens(run, pipelineRun.totalTokens());
        run.setAttribute(SpanAttributes.OUTCOME, pipelineRun.phase().name());
        if (pipelineRun.phase() != RunPhase.Succeeded) {
            run.setStatus(StatusCode.ERROR, pipelineRun.message() == null ? "" : pipelineRun.message());
        }
        run.end(at);
    }

    private Context parent(TaskRequest task) {
        Span attempt = attempts.get(task.taskId());
        return Context.root().with(attempt == null ? run : attempt);
    }

    private static void tokens(Span span, TokenUsage usage) {
        if (usage != null) {
            span.setAttribute(SpanAttributes.INPUT_TOKENS, usage.inputTokens());
            span.setAttribute(SpanAttributes.OUTPUT_TOKENS, usage.outputTokens());
        }
    }

}
