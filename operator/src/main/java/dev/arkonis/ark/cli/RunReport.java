package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.ApprovalState;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.local.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The end of a run for people (a summary line) and for programs (one JSON document). */
final class RunReport {
    private RunReport() {
    }

    static String summary(String team, PipelineRun run) {
        List<StepState> steps = run.steps();
        long succeeded = steps.stream().filter(s -> s.phase() == StepPhase.Succeeded).count();
        TokenUsage tokens = run.totalTokens();
        StringBuilder line = new StringBuilder("run ").append(run.runId()).append(" of team ").append(team).append(' ')
                .append(run.phase());
        StepLines.duration(run.startTime(), run.completionTime()).ifPresent(d -> line.append(" in ").append(StepLines.format(d)));
        line.append(": ").append(succeeded).append('/').append(steps.size()).append(" steps succeeded, ")
                .append(tokens.totalTokens()).append(" tokens (").append(tokens.inputTokens()).append(" in, ")
                .append(tokens.outputTokens()).append(" out)");
        long cached = steps.stream().filter(s -> s.origin() != null && s.origin().kind() == OutputOrigin.Kind.Cached).count();
        long reused = steps.stream().filter(s -> s.origin() != null && s.origin().kind() == OutputOrigin.Kind.Reused).count();
        if (cached > 0) {
            line.append(", ").append(cached).append(cached == 1 ? " step" : " steps").append(" from the cache");
        }
        if (reused > 0) {
            line.append(", ").append(reused).append(reused == 1 ? " step" : " steps").append(" reused from run ")
                    .append(steps.stream().filter(s -> s.origin() != null && s.origin().kind() == OutputOrigin.Kind.Reused)
                            .findFirst().orElseThrow().origin().run());
        }
        if (run.message() != null) {
            line.append("\n").append(run.message());
        }
        return line.toString();
    }

    /** One document with the run, every step and every attempt's raw reply; printed as JSON or YAML. */
    static Map<String, Object> document(String team, PipelineRun run, AttemptLog attempts) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("team", team);
        doc.put("run", run.runId());
        doc.put("phase", run.phase().name());
        doc.put("output", run.output());
        doc.put("message", run.message());
        doc.put("reason", run.reason());
        doc.put("failedStep", run.failedStep());
        doc.put("startTime", time(run.startTime()));
        doc.put("completionTime", time(run.completionTime()));
        doc.put("durationMs", millis(run.startTime(), run.completionTime()));
        doc.put("tokens", tokens(run.totalTokens()));
        doc.put("steps", run.steps().stream().map(s -> step(s, attempts.of(s.name()))).toList());
        doc.put("timeline", timeline(run).document());
        return doc;
    }

    /** Where the run's time went, step by step, with the queue waits the engine summed per step. */
    static Timeline timeline(PipelineRun run) {
        return Timeline.of(run.steps(), run.startTime(), run.completionTime());
    }

    private static Map<String, Object> step(StepState step, List<Attempt> attempts) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", step.name());
        doc.put("role", step.role());
        doc.put("phase", step.phase().name());
        doc.put("output", step.output());
        doc.put("message", step.message());
        doc.put("attempts", step.attempts());
        doc.put("validationAttempts", step.validationAttempts());
        doc.put("durationMs", millis(step.startTime(), step.completionTime()));
        doc.put("tokens", tokens(step.tokens()));
        if (step.skipReason() != null) {
            doc.put("skipReason", step.skipReason().name());
        }
        if (step.approval() != null) {
            doc.put("approval", approval(step.approval()));
        }
        if (step.origin() != null) {
            doc.put(step.origin().kind() == OutputOrigin.Kind.Cached ? "cached" : "reused", true);
            doc.put("sourceRun", step.origin().run());
        }
        // the same fields as an ArkRun's status: a delegated step's parent, and who routing or a lookup chose
        if (step.delegation() != null) {
            doc.put("parent", step.delegation().parent());
            Map<String, Object> delegation = new LinkedHashMap<>();
            delegation.put("parentAttempt", step.delegation().parentAttempt());
            delegation.put("call", step.delegation().call());
            delegation.put("depth", step.delegation().depth());
            delegation.put("task", step.delegation().task());
            doc.put("delegation", delegation);
        }
        if (step.assignment() != null) {
            doc.put("resolvedAgent", step.assignment().agent());
            doc.put("selectedCapability", step.assignment().capability());
            doc.put("routingReason", step.assignment().reason());
        }
        doc.put("attemptLog", attempts.stream().map(RunReport::attempt).toList());
        return doc;
    }

    private static Map<String, Object> approval(ApprovalState approval) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("message", approval.message());
        doc.put("verdict", approval.verdict() == null ? null : approval.verdict().name());
        doc.put("decidedBy", approval.decidedBy());
        doc.put("decidedAt", time(approval.decidedAt()));
        doc.put("comment", approval.comment());
        doc.put("timedOut", approval.timedOut());
        return doc;
    }

    private static Map<String, Object> attempt(Attempt attempt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("attempt", attempt.attempt());
        doc.put("accepted", attempt.accepted());
        doc.put("rawOutput", attempt.rawOutput());
        doc.put("error", attempt.problem());
        doc.put("durationMs", attempt.duration().toMillis());
        doc.put("queueWaitMs", attempt.queueWait().toMillis());
        doc.put("tokens", tokens(attempt.tokens()));
        return doc;
    }

    private static Map<String, Long> tokens(TokenUsage usage) {
        Map<String, Long> doc = new LinkedHashMap<>();
        doc.put("input", usage.inputTokens());
        doc.put("output", usage.outputTokens());
        doc.put("total", usage.totalTokens());
        return doc;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Long millis(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }
}
