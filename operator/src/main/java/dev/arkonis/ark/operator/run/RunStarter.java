package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.ResumeFrom;
import dev.arkonis.ark.flow.AgentDirectory;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.flow.InvalidTeamException;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.ResumePoint;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import dev.arkonis.ark.operator.EventReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A new run, started from a snapshot of its team's spec as the reconcile observed it (later edits of the team do not
 * change the run), or refused with the reason in words (no team, an invalid team, a bad input). Pure: it reads and
 * writes nothing.
 */
final class RunStarter {
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Start permits Started, Refused {
    }

    /** The run's engine and its first tasks. */
    record Started(LiveRun live, Pipeline pipeline, List<TaskRequest> tasks) implements Start {
    }

    /** The run cannot start; it fails at once. */
    record Refused(Refusal reason, String message, JsonNode teamSpec) implements Start {
    }

    /** Why a run cannot start: the reason its status gives, and the Event that tells it. */
    enum Refusal {
        InvalidSpec(EventReason.RunInvalidSpec),
        TeamNotFound(EventReason.RunTeamNotFound),
        InvalidTeam(EventReason.RunInvalidTeam),
        InvalidInput(EventReason.RunInvalidInput),
        InvalidResume(EventReason.RunInvalidResume);

        final EventReason event;

        Refusal(EventReason event) {
            this.event = event;
        }
    }

    private final TeamValidator validator;
    private final OutputChecker checker;

    RunStarter(TeamValidator validator, OutputChecker checker) {
        this.validator = validator;
        this.checker = checker;
    }

    /**
     * @param team        the team the run's spec names, as the API server has it now (empty: there is none)
     * @param earlier     the run it resumes from, when its spec names one (empty: there is none of that name)
     * @param steering    what its spec asks from the start: suspended, it starts but no step does until it is resumed;
     *                    cancelled, it ends Cancelled with no step run
     * @param directories the agents a run of the team may hand work to beyond its roles
     */
    Start start(ArkRun run, Optional<ArkTeam> team, Optional<EarlierRun> earlier, RunObservation.Steering steering,
                Function<ArkTeamSpec, AgentDirectory> directories, Instant now) {
        String teamName = run.getSpec() == null ? null : run.getSpec().teamName();
        if (teamName == null || teamName.isBlank()) {
            return new Refused(Refusal.InvalidSpec, "spec.teamRef.name is required", null);
        }
        if (team.isEmpty() || team.get().getSpec() == null) {
            return new Refused(Refusal.TeamNotFound, "team \"" + teamName + "\" not found in namespace "
                    + run.getMetadata().getNamespace(), null);
        }
        ResumeFrom from = run.getSpec().resumeFrom();
        ArkTeamSpec spec = team.get().getSpec();
        if (from != null) {
            Optional<String> problem = resumeProblem(run, from, earlier);
            if (problem.isPresent()) {
                return new Refused(Refusal.InvalidResume, problem.get(), null);
            }
            // the earlier run's team as it ran, not the team as it is now
            try {
                spec = JSON.treeToValue(earlier.get().run().getStatus().teamSpec(), ArkTeamSpec.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return new Refused(Refusal.InvalidResume, "the team run " + from.run() + " recorded cannot be read: "
                        + e.getMessage(), null);
            }
        }
        JsonNode snapshot = JSON.valueToTree(spec);
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(spec, validator);
        } catch (InvalidTeamException e) {
            return new Refused(Refusal.InvalidTeam, "team " + teamName + " is invalid: "
                    + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")), snapshot);
        }
        ObjectNode input;
        try {
            input = new InputResolver().resolve(spec, run.getSpec().input());
        } catch (InvalidInputException e) {
            return new Refused(Refusal.InvalidInput, e.getMessage(), snapshot);
        }
        PipelineRun engine = new PipelineRun(pipeline, run.getMetadata().getName(), input,
                RunLimits.of(spec, run.getSpec().timeoutSeconds(), run.getSpec().maxTokens()), checker)
                .useDirectory(directories.apply(spec));
        if (from != null) {
            try {
                engine.reuse(new ResumePoint(from.run(), from.step(), earlier.get().record().steps()));
            } catch (IllegalArgumentException e) {
                return new Refused(Refusal.InvalidResume, "spec.resumeFrom.step: " + e.getMessage() + " of run "
                        + from.run(), snapshot);
            }
        }
        engine.setSuspended(steering.suspend(), now);
        if (steering.cancel()) {
            engine.cancel(now);
        }
        List<TaskRequest> tasks = engine.start(now);
        LiveRun live = new LiveRun(run.getMetadata().getUid(), teamName, snapshot, engine,
                run.getMetadata().getResourceVersion(), RunObserver.annotation(run, Ark.ANNOTATION_RETRY));
        return new Started(live, pipeline, tasks);
    }

    /** Why a run cannot resume from the one its spec names: it must be an ended run of the same team and namespace. */
    private static Optional<String> resumeProblem(ArkRun run, ResumeFrom from, Optional<EarlierRun> earlier) {
        String namespace = run.getMetadata().getNamespace();
        if (earlier.isEmpty()) {
            return Optional.of("spec.resumeFrom.run: run \"" + from.run() + "\" not found in namespace " + namespace);
        }
        ArkRun source = earlier.get().run();
        String team = run.getSpec().teamName();
        if (!team.equals(source.getSpec().teamName())) {
            return Optional.of("spec.resumeFrom.run: run " + from.run() + " is a run of team " + source.getSpec().teamName()
                    + ", not of team " + team);
        }
        if (earlier.get().record() == null || !earlier.get().record().phase().isFinished()
                || source.getStatus().teamSpec() == null || source.getStatus().teamSpec().isNull()) {
            return Optional.of("spec.resumeFrom.run: run " + from.run() + " has not ended ("
                    + (earlier.get().record() == null ? "not started" : earlier.get().record().phase())
                    + "); a run resumes from one that ended");
        }
        return Optional.empty();
    }
}
