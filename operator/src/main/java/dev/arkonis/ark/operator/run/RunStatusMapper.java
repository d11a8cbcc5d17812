package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.IterationOutput;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunRecord;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.queue.OutputStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Between the engine's run and the ArkRun status. Outputs over the status limit are cut in status and kept whole in
 * Redis, so a run never nears the object size limit and later steps still read the whole text.
 */
final class RunStatusMapper {
    static final String CONDITION_SUCCEEDED = "Succeeded";
    static final String WAITING = "waiting: ";

    private final OutputStore outputs;
    private final int outputLimit;

    RunStatusMapper(OutputStore outputs, int outputLimit) {
        this.outputs = outputs;
        this.outputLimit = outputLimit;
    }

    /** The status for the run; {@code roleStream} gives a role's stream key, under which whole outputs are kept. */
    RunStatus toStatus(PipelineRun run, RunStatus previous, JsonNode teamSpec, String observedRetry,
                       Long generation, Function<String, String> roleStream, Map<String, String> waitingByRole,
                       Instant now) {
        List<StepStatus> steps = new ArrayList<>();
        long done = 0;
        // earlier iterations of loop steps are kept whole beside cut outputs, the status shows the latest
        for (IterationOutput replaced : run.drainReplacedIterations()) {
            outputs.save(OutputStore.iterationKey(roleStream.apply(replaced.role()), run.runId(), replaced.step(),
                    replaced.iteration()), replaced.output());
        }
        for (StepState step : run.steps()) {
            if (step.phase().isFinished()) {
                done++;
            }
            String output = step.output();
            boolean cut = output != null && output.length() > outputLimit;
            if (cut) {
                outputs.save(OutputStore.stepKey(roleStream.apply(step.role()), run.runId(), step.name()), output);
                output = output.substring(0, outputLimit);
            }
            steps.add(new StepStatus(step.name(), step.role(), step.phase(), step.taskId(), step.attempts(),
                    step.validationAttempts(), time(step.startTime()), time(step.completionTime()), time(step.deadline()),
                    output, cut ? Boolean.TRUE : null, message(step, waitingByRole), step.tokens(),
                    run.pipeline().step(step.name()).spec().loop() == null ? null : step.iterations()));
        }
        String output = run.output();
        boolean outputCut = output != null && output.length() > outputLimit;
        if (outputCut) {
            output = output.substring(0, outputLimit);
        }
        return new RunStatus(run.phase(), time(run.startTime()), time(run.completionTime()),
                time(run.runDeadline().orElse(null)), steps, done + "/" + steps.size(), output,
                outputCut ? Boolean.TRUE : null, run.totalTokens(), run.failedStep(), run.message(), run.reason(),
                List.of(condition(run, previous, now)), teamSpec, observedRetry, generation);
    }

    /** A Running step whose agent cannot take it says why it waits; the engine's own message wins otherwise. */
    private static String message(StepState step, Map<String, String> waitingByRole) {
        String waiting = waitingByRole.get(step.role());
        return step.phase() == StepPhase.Running && waiting != null && step.message() == null ? waiting : step.message();
    }

    /** The run as its status recorded it, with the whole outputs of steps whose output was cut. */
    RunRecord toRecord(RunStatus status, String runName, Function<String, String> roleStream) {
        List<StepState> steps = new ArrayList<>();
        for (StepStatus step : status.steps() == null ? List.<StepStatus>of() : status.steps()) {
            String output = step.output();
            if (Boolean.TRUE.equals(step.outputTruncated())) {
                output = outputs.load(OutputStore.stepKey(roleStream.apply(step.role()), runName, step.name()))
                        .orElse(output);
            }
            steps.add(new StepState(step.name(), step.role(), step.phase() == null ? StepPhase.Pending : step.phase(),
                    step.taskID(), zero(step.attempts()), zero(step.validationAttempts()), instant(step.startTime()),
                    instant(step.completionTime()), instant(step.deadline()), output, engineMessage(step),
                    step.tokenUsage() == null ? TokenUsage.ZERO : step.tokenUsage(), zero(step.iterations())));
        }
        return new RunRecord(status.phase(), instant(status.startTime()), instant(status.completionTime()),
                instant(status.deadline()), status.failedStep(), status.message(), status.reason(), status.output(), steps);
    }

    /** A run that could not start (no team, invalid team or input): Failed at once with the reason in words. */
    static RunStatus failedToStart(String reason, String message, JsonNode teamSpec, Long generation, Instant now) {
        Condition condition = new ConditionBuilder().withType(CONDITION_SUCCEEDED).withStatus("False")
                .withReason(reason).withMessage(message).withLastTransitionTime(time(now)).build();
        return new RunStatus(RunPhase.Failed, time(now), time(now), null, List.of(), "0/0", null, null, TokenUsage.ZERO,
                null, message, reason, List.of(condition), teamSpec, null, generation);
    }

    private static Condition condition(PipelineRun run, RunStatus previous, Instant now) {
        String status = switch (run.phase()) {
            case Succeeded -> "True";
            case Failed, TimedOut, Cancelled -> "False";
            default -> "Unknown";
        };
        String reason = run.phase() == RunPhase.Succeeded ? "Succeeded"
                : run.reason() != null ? run.reason() : run.phase().name();
        String transition = time(now);
        if (previous != null && previous.conditions() != null) {
            for (Condition c : previous.conditions()) {
                if (CONDITION_SUCCEEDED.equals(c.getType()) && status.equals(c.getStatus())) {
                    transition = c.getLastTransitionTime();
                }
            }
        }
        return new ConditionBuilder().withType(CONDITION_SUCCEEDED).withStatus(status).withReason(reason)
                .withMessage(run.message() == null ? run.phase().name() : run.message())
                .withLastTransitionTime(transition).build();
    }

    /** Waiting notes are the operator's, recomputed each time; the engine never sees them. */
    private static String engineMessage(StepStatus step) {
        return step.message() != null && step.message().startsWith(WAITING) ? null : step.message();
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static Instant instant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }
}
