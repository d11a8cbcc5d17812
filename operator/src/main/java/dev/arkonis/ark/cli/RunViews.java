package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.ApprovalState;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** ArkRun status as the CLI shows it, sharing the step lines of {@code ark run --watch}. */
public final class RunViews {
    private RunViews() {
    }

    public static List<StepState> steps(ArkRun run) {
        RunStatus status = run.getStatus();
        if (status == null || status.steps() == null) {
            return List.of();
        }
        return status.steps().stream().map(RunViews::step).toList();
    }

    static StepState step(StepStatus s) {
        return new StepState(s.name(), s.role(), s.phase() == null ? StepPhase.Pending : s.phase(), s.taskID(),
                s.attempts() == null ? 0 : s.attempts(), s.validationAttempts() == null ? 0 : s.validationAttempts(),
                instant(s.startTime()), instant(s.completionTime()), instant(s.deadline()), s.output(), s.message(),
                s.tokenUsage() == null ? TokenUsage.ZERO : s.tokenUsage(), s.skipReason(), s.validationErrors(),
                s.iterations() == null ? 0 : s.iterations(),
                s.queueWaitMs() == null ? null : Duration.ofMillis(s.queueWaitMs()), ApprovalState.fromStatus(s.approval()),
                OutputOrigin.fromStatus(s.cached(), s.reused(), s.sourceRun()), StepState.Delegation.of(s),
                StepState.Assignment.of(s));
    }

    /** Where a run's time went, from its status; a run still going is measured up to {@code now}. */
    public static Timeline timeline(ArkRun run, Instant now) {
        RunStatus status = run.getStatus();
        Instant start = status == null ? null : instant(status.startTime());
        Instant end = status == null || status.completionTime() == null ? now : instant(status.completionTime());
        return Timeline.of(steps(run), start, end);
    }

    public static RunPhase phase(ArkRun run) {
        return run.getStatus() == null || run.getStatus().phase() == null ? RunPhase.Pending : run.getStatus().phase();
    }

    static String summary(ArkRun run) {
        RunStatus status = run.getStatus();
        StringBuilder line = new StringBuilder("run ").append(run.getMetadata().getName()).append(" of team ")
                .append(team(run)).append(' ').append(phase(run));
        if (status != null) {
            StepLines.duration(instant(status.startTime()), instant(status.completionTime()))
                    .ifPresent(d -> line.append(" in ").append(StepLines.format(d)));
            long succeeded = status.steps() == null ? 0
                    : status.steps().stream().filter(s -> s.phase() == StepPhase.Succeeded).count();
            TokenUsage tokens = status.totalTokenUsage() == null ? TokenUsage.ZERO : status.totalTokenUsage();
            line.append(": ").append(succeeded).append('/').append(status.steps() == null ? 0 : status.steps().size())
                    .append(" steps succeeded, ").append(tokens.totalTokens()).append(" tokens");
            if (status.message() != null) {
                line.append("\n").append(status.message());
            }
        }
        return line.toString();
    }

    public static String team(ArkRun run) {
        return run.getSpec() == null ? "?" : run.getSpec().teamName();
    }

    static String age(String creationTimestamp, Instant now) {
        if (creationTimestamp == null) {
            return "";
        }
        Duration age = Duration.between(Instant.parse(creationTimestamp), now);
        if (age.toDays() > 0) {
            return age.toDays() + "d";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h";
        }
        if (age.toMinutes() > 0) {
            return age.toMinutes() + "m";
        }
        return Math.max(0, age.toSeconds()) + "s";
    }

    public static Instant instant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }
}
