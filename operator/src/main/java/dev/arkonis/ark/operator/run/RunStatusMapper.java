package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.SkipReason;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.ApprovalState;
import dev.arkonis.ark.flow.OutputOrigin;
import dev.arkonis.ark.flow.ModelUse;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunControl;
import dev.arkonis.ark.flow.RunRecord;
import dev.arkonis.ark.flow.StepState;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.queue.OutputStore;
import dev.arkonis.ark.queue.RunTransport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Between the engine's run and the ArkRun status: the status carries the engine's state in fields of their own
 * (skip reason, validation errors, what a step waits for), so a run restored from it continues exactly as it would
 * have. Outputs are kept up to a size given by the recorder; whole outputs of cut ones are read back from Redis.
 */
final class RunStatusMapper {
    static final String CONDITION_SUCCEEDED = "Succeeded";
    /** Message of condition-skipped steps in statuses written before skipReason existed. */
    private static final String LEGACY_CONDITION_SKIP = PipelineRun.SKIPPED_BY_CONDITION;

    private final RunTransport outputs;

    /** @param outputs where the whole text of cut outputs is kept */
    RunStatusMapper(RunTransport outputs) {
        this.outputs = outputs;
    }

    /**
     * The status for the run, every output cut to at most {@code outputCap} bytes.
     *
     * @param waitingByRole what a role's Running steps wait for, if anything
     */
    RunStatus toStatus(PipelineRun run, RunStatus previous, JsonNode teamSpec, String observedRetry, Long generation,
                       Map<String, String> waitingByRole, int outputCap, OutputMemo memo, Instant now) {
        return toStatus(run, previous, teamSpec, observedRetry, generation, waitingByRole, Set.of(), outputCap, memo, now);
    }

    /**
     * @param warming agents (by name) scaled to zero with no ready pod yet: a Running step whose task waits for one of
     *                them is WarmingUp (the engine knows it as Running)
     */
    RunStatus toStatus(PipelineRun run, RunStatus previous, JsonNode teamSpec, String observedRetry, Long generation,
                       Map<String, String> waitingByRole, Set<String> warming, int outputCap, OutputMemo memo,
                       Instant now) {
        List<StepStatus> steps = new ArrayList<>();
        long done = 0;
        for (StepState step : run.steps()) {
            if (step.phase().isFinished()) {
                done++;
            }
            String output = step.output();
            boolean cut = output != null && memo.bytes(output) > outputCap;
            String waiting = step.phase() == StepPhase.Running ? waitingByRole.get(step.role()) : null;
            String agent = step.phase() == StepPhase.Running && waiting == null ? run.queueOf(step).agent() : null;
            boolean warmingUp = agent != null && warming.contains(agent);
            if (warmingUp) {
                waiting = RunObserver.WAITING + "agent " + agent + " scaled to zero and has no ready pod yet; the task "
                        + "waits in its queue";
            }
            String message = step.message() != null ? step.message() : waiting;
            StepStatus.StepStatusBuilder built = StepStatus.builder().name(step.name()).role(step.role())
                    .phase(warmingUp ? StepPhase.WarmingUp : step.phase()).taskID(step.taskId())
                    .attempts(step.attempts()).validationAttempts(step.validationAttempts())
                    .startTime(time(step.startTime())).completionTime(time(step.completionTime()))
                    .deadline(time(step.deadline()))
                    .output(cut ? memo.cut(output, outputCap) : output).outputTruncated(cut ? Boolean.TRUE : null)
                    .message(message).tokenUsage(step.tokens()).skipReason(step.skipReason())
                    .validationErrors(step.validationErrors()).waitingFor(step.message() == null ? waiting : null)
                    .iterations(run.definition(step.name()).spec().loop() == null ? null : step.iterations())
                    .queueWaitMs(step.queueWait() == null ? null : step.queueWait().toMillis())
                    .approval(step.approval() == null ? null : step.approval().toStatus())
                    .cached(origin(step, OutputOrigin.Kind.Cached)).reused(origin(step, OutputOrigin.Kind.Reused))
                    .sourceRun(step.origin() == null ? null : step.origin().run())
                    .model(step.modelUse().model()).modelReason(step.modelUse().reason())
                    .rateLimitWaitMs(step.modelUse().rateLimitWait() == null ? null
                            : step.modelUse().rateLimitWait().toMillis());
            if (step.delegation() != null) {
                StepState.Delegation d = step.delegation();
                built.parent(d.parent()).delegation(new StepStatus.Delegation(d.parentAttempt(), d.call(), d.depth(), d.task()));
            }
            if (step.assignment() != null) {
                built.resolvedAgent(step.assignment().agent()).selectedCapability(step.assignment().capability())
                        .routingReason(step.assignment().reason());
            }
            steps.add(built.build());
        }
        String output = run.output();
        boolean outputCut = output != null && memo.bytes(output) > outputCap;
        List<Condition> conditions = new ArrayList<>(List.of(condition(run, previous, now)));
        previousCondition(previous, ReconcileErrors.CONDITION).ifPresent(conditions::add);
        return RunStatus.builder().phase(run.phase()).startTime(time(run.startTime()))
                .completionTime(time(run.completionTime())).deadline(time(run.runDeadline().orElse(null)))
                .steps(steps).stepsDone(done + "/" + steps.size())
                .output(outputCut ? memo.cut(output, outputCap) : output).outputTruncated(outputCut ? Boolean.TRUE : null)
                .totalTokenUsage(run.totalTokens()).failedStep(run.failedStep()).message(run.message())
                .reason(run.reason()).conditions(ReconcileErrors.succeeded(conditions, generation, now))
                .teamSpec(teamSpec).observedRetry(observedRetry).observedGeneration(generation)
                .suspendedAt(time(run.control().suspendedAt())).cancelledAt(time(run.control().cancelledAt()))
                .waitingForApproval(waiting(run)).build();
    }

    private static Boolean origin(StepState step, OutputOrigin.Kind kind) {
        return step.origin() != null && step.origin().kind() == kind ? Boolean.TRUE : null;
    }

    /** The steps waiting for a person, as the printer column shows them. */
    private static String waiting(PipelineRun run) {
        List<StepState> waiting = run.waitingForApproval();
        return waiting.isEmpty() ? null : String.join(",", waiting.stream().map(StepState::name).toList());
    }

    /** Where the whole outputs of the run's cut ones are kept (its steps', their earlier iterations', the run's). */
    static List<String> outputKeys(ArkRun run) {
        RunStatus status = run.getStatus();
        String team = run.getSpec() == null ? null : run.getSpec().teamName();
        if (status == null || team == null) {
            return List.of();
        }
        String namespace = run.getMetadata().getNamespace();
        String runName = run.getMetadata().getName();
        List<String> keys = new ArrayList<>();
        for (StepStatus step : status.steps() == null ? List.<StepStatus>of() : status.steps()) {
            String roleStream = Names.queue(namespace, team, step.role());
            keys.add(OutputStore.stepKey(roleStream, runName, step.name()));
            for (int iteration = 0; iteration <= zero(step.iterations()); iteration++) {
                keys.add(OutputStore.iterationKey(roleStream, runName, step.name(), iteration));
            }
        }
        keys.add(Names.runOutput(namespace, team, runName));
        return keys;
    }

    /** The run as its status recorded it, with the whole outputs of steps whose output was cut. */
    RunRecord toRecord(ArkRun run, String team) {
        RunStatus status = run.getStatus();
        String namespace = run.getMetadata().getNamespace();
        String runName = run.getMetadata().getName();
        List<StepState> steps = new ArrayList<>();
        for (StepStatus step : status.steps() == null ? List.<StepStatus>of() : status.steps()) {
            String output = step.output();
            if (Boolean.TRUE.equals(step.outputTruncated())) {
                output = outputs.loadOutput(OutputStore.stepKey(Names.queue(namespace, team, step.role()), runName, step.name()))
                        .orElse(output);
            }
            StepPhase phase = step.phase() == null ? StepPhase.Pending : step.phase();
            steps.add(new StepState(step.name(), step.role(), phase, step.taskID(), zero(step.attempts()),
                    zero(step.validationAttempts()), instant(step.startTime()), instant(step.completionTime()),
                    instant(step.deadline()), output, engineMessage(step), tokens(step.tokenUsage()),
                    skipReason(step, phase), step.validationErrors(), zero(step.iterations()),
                    step.queueWaitMs() == null ? null : Duration.ofMillis(step.queueWaitMs()),
                    ApprovalState.fromStatus(step.approval()),
                    OutputOrigin.fromStatus(step.cached(), step.reused(), step.sourceRun()),
                    ModelUse.recorded(step.model(), step.modelReason(), step.rateLimitWaitMs()),
                    StepState.Delegation.of(step), StepState.Assignment.of(step)));
        }
        String output = status.output();
        if (Boolean.TRUE.equals(status.outputTruncated())) {
            output = outputs.loadOutput(Names.runOutput(namespace, team, runName)).orElse(output);
        }
        return new RunRecord(status.phase(), instant(status.startTime()), instant(status.completionTime()),
                instant(status.deadline()), status.failedStep(), status.message(), status.reason(), output, steps,
                new RunControl(instant(status.suspendedAt()), instant(status.cancelledAt())));
    }

    /** A run that could not start (no team, invalid team or input): Failed at once with the reason in words. */
    static RunStatus failedToStart(String reason, String message, JsonNode teamSpec, Long generation, Instant now) {
        Condition condition = new ConditionBuilder().withType(CONDITION_SUCCEEDED).withStatus("False")
                .withReason(reason).withMessage(message).withLastTransitionTime(time(now)).build();
        return RunStatus.builder().phase(RunPhase.Failed).startTime(time(now)).completionTime(time(now))
                .steps(List.of()).stepsDone("0/0").totalTokenUsage(TokenUsage.ZERO).message(message).reason(reason)
                .conditions(List.of(condition)).teamSpec(teamSpec).observedGeneration(generation).build();
    }

    /**
     * A run waiting for a place among the runs in flight: {@code Pending}, the reason and where it stands; the
     * condition keeps the moment it began to wait.
     */
    static RunStatus held(String message, RunStatus previous, Long generation, Instant now) {
        String since = previousCondition(previous, CONDITION_SUCCEEDED)
                .filter(c -> RunStatus.IN_FLIGHT_LIMIT.equals(c.getReason())).map(Condition::getLastTransitionTime)
                .orElse(time(now));
        Condition condition = new ConditionBuilder().withType(CONDITION_SUCCEEDED).withStatus("Unknown")
                .withReason(RunStatus.IN_FLIGHT_LIMIT).withMessage(message).withLastTransitionTime(since).build();
        return RunStatus.builder().phase(RunPhase.Pending).message(message).reason(RunStatus.IN_FLIGHT_LIMIT)
                .conditions(List.of(condition)).observedGeneration(generation).build();
    }

    /** The engine's own message: a note of what a step waits for is the operator's, recomputed each time. */
    private static String engineMessage(StepStatus step) {
        if (step.waitingFor() != null) {
            return null;
        }
        // statuses written before waitingFor existed carried the note in the message only
        return step.message() != null && step.message().startsWith(RunObserver.WAITING) ? null : step.message();
    }

    private static SkipReason skipReason(StepStatus step, StepPhase phase) {
        if (phase != StepPhase.Skipped) {
            return null;
        }
        if (step.skipReason() != null) {
            return step.skipReason();
        }
        // statuses written before skipReason existed: only a condition-skip lets dependents run
        return step.message() != null && step.message().startsWith(LEGACY_CONDITION_SKIP)
                ? SkipReason.ConditionFalse : SkipReason.RunFailed;
    }

    private static java.util.Optional<Condition> previousCondition(RunStatus previous, String type) {
        if (previous == null || previous.conditions() == null) {
            return java.util.Optional.empty();
        }
        return previous.conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static Condition condition(PipelineRun run, RunStatus previous, Instant now) {
        String status = switch (run.phase()) {
            case Succeeded -> "True";
            case Failed, TimedOut, Cancelled -> "False";
            default -> "Unknown";
        };
        String reason = run.phase() == RunPhase.Succeeded ? "Succeeded"
                : run.reason() != null ? run.reason() : run.phase().name();
        String transition = previousCondition(previous, CONDITION_SUCCEEDED)
                .filter(c -> status.equals(c.getStatus())).map(Condition::getLastTransitionTime).orElse(time(now));
        return new ConditionBuilder().withType(CONDITION_SUCCEEDED).withStatus(status).withReason(reason)
                .withMessage(run.message() == null ? run.phase().name() : run.message())
                .withLastTransitionTime(transition).build();
    }

    private static TokenUsage tokens(TokenUsage usage) {
        return usage == null ? TokenUsage.ZERO : usage;
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
