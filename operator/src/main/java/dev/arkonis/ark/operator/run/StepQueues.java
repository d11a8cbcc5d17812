package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.Router;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.operator.TeamMembership;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which queue a task of a run went to, as the run's status tells it (the engine knows it too, but a result may come,
 * and a deleted run's tasks may need taking back, when no engine is at hand). Pure.
 */
final class StepQueues {
    private StepQueues() {
    }

    /**
     * The queue a step's task was sent to: a judge's task (validate.semantic) to its judge role, else to whoever ran
     * the step; a router's task to the team's router; the step's own task to the agent chosen for it (routing, a
     * lookup), else to its role.
     */
    static Optional<String> of(ArkRun run, String team, String step, String task,
                                            Function<ResourceID, Optional<ArkAgent>> agents) {
        String namespace = run.getMetadata().getNamespace();
        List<StepStatus> steps = run.getStatus() == null || run.getStatus().steps() == null ? List.of()
                : run.getStatus().steps();
        Optional<StepStatus> status = steps.stream().filter(s -> step.equals(s.name())).findFirst();
        if (status.isEmpty()) {
            return Optional.empty();
        }
        if (task.endsWith(Router.TASK_SUFFIX)) {
            return Optional.of(Names.queue(namespace, team, Router.ROLE));
        }
        if (task.endsWith(TaskRequest.JUDGE_SUFFIX)) {
            Optional<String> judge = judgeRole(run, step);
            if (judge.isPresent()) {
                return Optional.of(Names.queue(namespace, team, judge.get()));
            }
        }
        String chosen = status.get().resolvedAgent();
        if (chosen != null && !chosen.isBlank()) {
            return Optional.of(agents.apply(new ResourceID(chosen, namespace)).map(TeamMembership::queueOf)
                    .orElse(Names.standaloneQueue(namespace, chosen)));
        }
        return Optional.ofNullable(status.get().role()).map(role -> Names.queue(namespace, team, role));
    }

    /** The pipeline step's {@code validate.judgeRole}, if it names one. */
    private static Optional<String> judgeRole(ArkRun run, String step) {
        JsonNode spec = run.getStatus().teamSpec();
        if (spec != null) {
            for (JsonNode entry : spec.path("pipeline")) {
                String name = entry.path("name").asText("");
                if (step.equals(name.isEmpty() ? entry.path("role").asText() : name)) {
                    String judge = entry.path("validate").path("judgeRole").asText("");
                    return judge.isBlank() ? Optional.empty() : Optional.of(judge);
                }
            }
        }
        return Optional.empty();
    }
}
