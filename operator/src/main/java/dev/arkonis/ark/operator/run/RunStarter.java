package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.flow.InputResolver;
import dev.arkonis.ark.flow.InvalidInputException;
import dev.arkonis.ark.flow.InvalidTeamException;
import dev.arkonis.ark.flow.OutputChecker;
import dev.arkonis.ark.flow.Pipeline;
import dev.arkonis.ark.flow.PipelineRun;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.RunLimits;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.flow.TeamValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A new run: labelled with its team, started from a snapshot of the team's spec (later edits of the team do not
 * change it), or refused with the reason in words (no team, an invalid team, a bad input).
 */
final class RunStarter {
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Start permits Started, Refused {
    }

    /** The run's engine and its first tasks. */
    record Started(ArkRun run, LiveRun live, Pipeline pipeline, List<TaskRequest> tasks) implements Start {
    }

    /** The run cannot start; it fails at once. */
    record Refused(ArkRun run, String reason, String message, JsonNode teamSpec) implements Start {
    }

    private final KubernetesClient client;
    private final TeamValidator validator;
    private final OutputChecker checker;

    RunStarter(KubernetesClient client, TeamValidator validator, OutputChecker checker) {
        this.client = client;
        this.validator = validator;
        this.checker = checker;
    }

    Start start(ArkRun run, Instant now) {
        String teamName = run.getSpec() == null ? null : run.getSpec().teamName();
        if (teamName == null || teamName.isBlank()) {
            return new Refused(run, "InvalidSpec", "spec.teamRef.name is required", null);
        }
        ArkRun labelled = labelled(run, teamName);
        ArkTeam team = client.resources(ArkTeam.class).inNamespace(run.getMetadata().getNamespace())
                .withName(teamName).get();
        if (team == null || team.getSpec() == null) {
            return new Refused(labelled, "TeamNotFound", "team \"" + teamName + "\" not found in namespace "
                    + run.getMetadata().getNamespace(), null);
        }
        JsonNode snapshot = JSON.valueToTree(team.getSpec());
        Pipeline pipeline;
        try {
            pipeline = Pipeline.compile(team.getSpec(), validator);
        } catch (InvalidTeamException e) {
            return new Refused(labelled, "InvalidTeam", "team " + teamName + " is invalid: "
                    + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")), snapshot);
        }
        ObjectNode input;
        try {
            input = new InputResolver().resolve(team.getSpec(), run.getSpec().input());
        } catch (InvalidInputException e) {
            return new Refused(labelled, "InvalidInput", e.getMessage(), snapshot);
        }
        PipelineRun engine = new PipelineRun(pipeline, run.getMetadata().getName(), input,
                RunLimits.of(team.getSpec(), run.getSpec().timeoutSeconds(), run.getSpec().maxTokens()), checker);
        List<TaskRequest> tasks = engine.start(now);
        LiveRun live = new LiveRun(run.getMetadata().getUid(), teamName, snapshot, engine,
                labelled.getMetadata().getResourceVersion(), RunObserver.annotation(run, Ark.ANNOTATION_RETRY));
        return new Started(labelled, live, pipeline, tasks);
    }

    /** The label lets users and ark find a team's runs. */
    private ArkRun labelled(ArkRun run, String team) {
        Map<String, String> labels = run.getMetadata().getLabels();
        if (labels != null && team.equals(labels.get(Ark.LABEL_TEAM))) {
            return run;
        }
        return client.resource(run).edit(r -> {
            Map<String, String> next = r.getMetadata().getLabels() == null ? new HashMap<>()
                    : new HashMap<>(r.getMetadata().getLabels());
            next.put(Ark.LABEL_TEAM, team);
            r.getMetadata().setLabels(next);
            return r;
        });
    }
}
