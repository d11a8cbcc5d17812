package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.Timestamps;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.queue.ResultDelivery;
import dev.arkonis.ark.queue.TaskResult;
import dev.arkonis.ark.queue.TaskStatus;
import dev.arkonis.ark.telemetry.SpanAttributes;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run as the operator reports it: its span and a span per step attempt, recorded when they end with the ids the
 * tasks' traceparents name (so the agents' spans hang under them whichever replica or restart records them), the
 * run and step counters, and a log line per step transition with the trace id.
 */
final class RunTelemetry {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final Telemetry telemetry;
    /** When this process sent each task of a run; a restarted operator falls back to the step's start time. */
    private final Map<String, Map<String, Instant>> sent = new ConcurrentHashMap<>();

    RunTelemetry(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    void sent(ArkRun run, TaskRequest task, Instant at) {
        sent.computeIfAbsent(uid(run), k -> new ConcurrentHashMap<>()).putIfAbsent(task.taskId(), at);
    }

    /** A step cache lookup of the run's role: hits and what they did not spend again go to the metrics. */
    void cacheLookup(ArkRun run, String team, CachedSteps.Use use) {
        telemetry.metrics().stepCacheLookup(run.getMetadata().getNamespace(), team, use.role(), use.hit(),
                use.saved().inputTokens(), use.saved().outputTokens());
    }

    void forget(ArkRun run) {
        sent.remove(uid(run));
    }

    /**
     * After a reconcile recorded the status: every attempt that was running before and is not any more ended now
     * (with its result if one came, else as the engine ended it: timed out, abandoned); the run ended if it just
     * finished.
     */
    void recorded(ArkRun run, String team, RunStatus before, RunObservation seen, List<StepState> changes, Instant now) {
        RunStatus after = run.getStatus();
        String traceId = TraceContext.traceId(uid(run));
        changes.forEach(step -> logTransition(run, step, traceId));
        if (before != null && before.steps() != null && after != null) {
            Map<String, StepStatus> afterSteps = new HashMap<>();
            if (after.steps() != null) {
                after.steps().forEach(step -> afterSteps.put(step.name(), step));
            }
            Map<String, TaskResult> results = new HashMap<>();
            for (ResultDelivery delivery : seen.results()) {
                if (!delivery.isDelegation()) {
                    results.put(delivery.result().task(), delivery.result());
                }
            }
            for (StepStatus was : before.steps()) {
                if (!working(was) || was.taskID() == null) {
                    continue;
                }
                StepStatus is = afterSteps.get(was.name());
                if (is != null && working(is) && was.taskID().equals(is.taskID())) {
                    continue;
                }
                attemptEnded(run, team, was, is, results.get(was.taskID()), now);
            }
        }
        boolean wasFinished = before != null && before.phase() != null && before.phase().isFinished();
        if (after != null && after.phase() != null && after.phase().isFinished() && !wasFinished) {
            runEnded(run, team, after, now);
        }
    }

    /** Running, or waiting for its agent to warm up: an attempt in progress either way. */
    private static boolean working(StepStatus step) {
        return step.phase() == StepPhase.Running || step.phase() == StepPhase.WarmingUp;
    }

    private void attemptEnded(ArkRun run, String team, StepStatus was, StepStatus is, TaskResult result, Instant now) {
        String uid = uid(run);
        Map<String, Instant> times = sent.getOrDefault(uid, Map.of());
        Instant start = times.getOrDefault(was.taskID(), Timestamps.parse(was.startTime()).orElse(now));
        if (times instanceof ConcurrentHashMap<String, Instant> own) {
            own.remove(was.taskID());
        }
        boolean judge = was.taskID().endsWith(TaskRequest.JUDGE_SUFFIX);
        String outcome = result != null ? (result.status() == TaskStatus.SUCCEEDED ? "succeeded" : "failed")
                : is != null && is.phase() == StepPhase.Failed ? "failed" : "abandoned";
        SpanBuilder builder = telemetry.tracer().spanBuilder((judge ? "judge " : "step ") + was.name())
                .setParent(Context.root().with(Span.wrap(TraceContext.runSpan(uid))))
                .setStartTimestamp(start)
                .setAttribute(SpanAttributes.NAMESPACE, run.getMetadata().getNamespace())
                .setAttribute(SpanAttributes.TEAM, team)
                .setAttribute(SpanAttributes.RUN, run.getMetadata().getName())
                .setAttribute(SpanAttributes.STEP, was.name())
                .setAttribute(SpanAttributes.ROLE, String.valueOf(was.role()))
                .setAttribute(SpanAttributes.ATTEMPT, was.attempts() == null ? 0L : was.attempts().longValue())
                .setAttribute(SpanAttributes.TASK, was.taskID())
                .setAttribute(SpanAttributes.OUTCOME, outcome);
        long input = result == null ? 0 : result.inputTokens();
        long output = result == null ? 0 : result.outputTokens();
        if (result != null) {
            builder.setAttribute(SpanAttributes.AGENT, String.valueOf(result.agent()))
                    .setAttribute(SpanAttributes.INPUT_TOKENS, input)
                    .setAttribute(SpanAttributes.OUTPUT_TOKENS, output);
        }
        Span span = Telemetry.startWithIds(builder, null, TraceContext.attemptSpanId(was.taskID()));
        if (!"succeeded".equals(outcome)) {
            Telemetry.fail(span, result != null ? result.error() : is == null ? "" : String.valueOf(is.message()), outcome);
        }
        span.end(now);
        telemetry.metrics().stepFinished(run.getMetadata().getNamespace(), team, String.valueOf(was.role()), outcome,
                Duration.between(start, now).isNegative() ? Duration.ZERO : Duration.between(start, now), input, output);
    }

    private void runEnded(ArkRun run, String team, RunStatus status, Instant now) {
        String uid = uid(run);
        Instant start = Timestamps.parse(status.startTime()).orElse(now);
        Instant end = Timestamps.parse(status.completionTime()).orElse(now);
        SpanBuilder builder = telemetry.tracer().spanBuilder("run " + team).setNoParent()
                .setStartTimestamp(start)
                .setAttribute(SpanAttributes.NAMESPACE, run.getMetadata().getNamespace())
                .setAttribute(SpanAttributes.TEAM, team)
                .setAttribute(SpanAttributes.RUN, run.getMetadata().getName())
                .setAttribute(SpanAttributes.OUTCOME, String.valueOf(status.phase()));
        TokenUsage tokens = status.totalTokenUsage();
        if (tokens != null) {
            builder.setAttribute(SpanAttributes.INPUT_TOKENS, tokens.inputTokens()).setAttribute(SpanAttributes.OUTPUT_TOKENS, tokens.outputTokens());
        }
        Span span = Telemetry.startWithIds(builder, TraceContext.traceId(uid), TraceContext.runSpanId(uid));
        if (status.phase() != dev.arkonis.ark.api.RunPhase.Succeeded) {
            Telemetry.fail(span, String.valueOf(status.message()), String.valueOf(status.reason()));
        }
        span.end(end.isBefore(start) ? start : end);
        telemetry.metrics().runFinished(run.getMetadata().getNamespace(), team, String.valueOf(status.phase()));
        LOG.info("run {}/{} {}: {} trace_id={}", run.getMetadata().getNamespace(), run.getMetadata().getName(),
                status.phase(), status.message() == null ? "" : status.message(), TraceContext.traceId(uid));
        sent.remove(uid);
    }

    private static void logTransition(ArkRun run, StepState step, String traceId) {
        String message = step.message() == null || step.message().isBlank() ? "" : " (" + step.message() + ")";
        LOG.info("run {}/{} step {} attempt {}: {}{} trace_id={}", run.getMetadata().getNamespace(),
                run.getMetadata().getName(), step.name(), step.attempts(), step.phase(), message, traceId);
    }

    private static String uid(ArkRun run) {
        return String.valueOf(run.getMetadata().getUid());
    }
}
