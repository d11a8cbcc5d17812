package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.AgentDirectory;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.Hashes;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The runs being driven, each with its compiled pipeline (cached by run uid and team-spec hash) and its engine. A run
 * is restored from its status only when this process has no engine for it at the resource version it is seen at
 * (after a restart, a failed reconcile, or a change someone else made), never on every event.
 */
final class LiveRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record CompiledKey(String uid, String teamSpecHash) {
    }

    private final Map<ResourceID, LiveRun> runs = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong restores = new java.util.concurrent.atomic.AtomicLong();
    private final Map<CompiledKey, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final TeamValidator validator;
    private final OutputChecker checker;
    private final RunStatusMapper mapper;

    LiveRuns(TeamValidator validator, OutputChecker checker, RunStatusMapper mapper) {
        this.validator = validator;
        this.checker = checker;
        this.mapper = mapper;
    }

    /**
     * The engine of a run that has a status, for one reconcile: this process's own, or restored from the status. It
     * is handed out once, until {@link #keep} takes it back, so a reconcile that fails midway leaves no engine that
     * is ahead of the status.
     *
     * @param directories the agents the run may hand work to now, for the team spec it started with
     */
    LiveRun take(ArkRun run, Function<ArkTeamSpec, AgentDirectory> directories) {
        LiveRun live = runs.remove(ResourceID.fromResource(run));
        if (live != null && live.uid.equals(run.getMetadata().getUid())
                && live.resourceVersion != null && live.resourceVersion.equals(run.getMetadata().getResourceVersion())) {
            live.engine.useDirectory(directories.apply(live.engine.pipeline().spec()));
            return live;
        }
        restores.incrementAndGet();
        return restore(run, directories);
    }

    /** A run just started here, with the pipeline it compiled from its team spec. */
    void started(LiveRun live, Pipeline pipeline) {
        pipelines.put(new CompiledKey(live.uid, Hashes.ofValue(live.teamSpec)), pipeline);
    }

    /** The engine after a reconcile that carried out everything it decided: the run's next event continues with it. */
    void keep(ArkRun run, LiveRun live) {
        runs.put(ResourceID.fromResource(run), live);
    }

    /** The run ended, or the engine was driven from an older copy of it: the next event restores it afresh. */
    void drop(LiveRun live) {
        pipelines.keySet().removeIf(key -> key.uid().equals(live.uid));
    }

    /** The run was deleted, or is finished: nothing of it is kept. */
    void forget(ArkRun run) {
        runs.remove(ResourceID.fromResource(run));
        pipelines.keySet().removeIf(key -> key.uid().equals(run.getMetadata().getUid()));
    }

    /** How many times a run was restored from its status (tests: an event must not cost a restore). */
    long restores() {
        return restores.get();
    }

    /** Compiles the run's pipeline from the team spec it started with, reusing an earlier compilation of it. */
    Pipeline pipeline(String uid, JsonNode teamSpec) {
        return pipelines.computeIfAbsent(new CompiledKey(uid, Hashes.ofValue(teamSpec)), key -> {
            try {
                return Pipeline.compile(JSON.treeToValue(teamSpec, ArkTeamSpec.class), validator);
            } catch (Exception e) {
                throw new IllegalStateException("the run's recorded team can no longer be read: " + e.getMessage(), e);
            }
        });
    }

    private LiveRun restore(ArkRun run, Function<ArkTeamSpec, AgentDirectory> directories) {
        RunStatus status = run.getStatus();
        String uid = run.getMetadata().getUid();
        Pipeline pipeline = pipeline(uid, status.teamSpec());
        ObjectNode input;
        try {
            input = new InputResolver().resolve(pipeline.spec(), run.getSpec().input());
        } catch (Exception e) {
            throw new IllegalStateException("the run's input can no longer be read: " + e.getMessage(), e);
        }
        String team = run.getSpec().teamName();
        PipelineRun engine = PipelineRun.restore(pipeline, run.getMetadata().getName(), input,
                RunLimits.of(pipeline.spec(), run.getSpec().timeoutSeconds(), run.getSpec().maxTokens()), checker,
                mapper.toRecord(run, team), directories.apply(pipeline.spec()));
        LiveRun live = new LiveRun(uid, team, status.teamSpec(), engine, run.getMetadata().getResourceVersion(),
                status.observedRetry());
        live.announced = false;
        for (StepStatus step : status.steps() == null ? java.util.List.<StepStatus>of() : status.steps()) {
            if (Boolean.TRUE.equals(step.outputTruncated())) {
                live.offloaded.put(step.name(), step.attempts() == null ? 0 : step.attempts());
            }
        }
        if (Boolean.TRUE.equals(status.outputTruncated())) {
            live.offloaded.put(LiveRun.RUN_OUTPUT, 0);
        }
        return live;
    }
}
