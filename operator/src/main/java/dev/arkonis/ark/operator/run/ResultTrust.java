package dev.arkonis.ark.operator.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.TaskRequest;
import dev.arkonis.ark.queue.TaskResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a result may change the run it names. Every agent of a role may write its role's result stream
 * {@code <namespace>.<team>.<role>.results}, and a result's fields say which run and step it answers; so a result is
 * trusted only for what its stream vouches for: a run of that namespace, of that team, and a step whose task that
 * role was sent (a step's own role, or its judge's for a {@code validate.semantic} task). Anything else is a forgery or
 * a fault and changes nothing. Pure: the run is given as the operator's cache has it.
 */
final class ResultTrust {
    /** Why a result is not trusted: a bounded set, used as a metric label. */
    enum Reason {
        /** Its fields name no run, or a task of another run or step than they name. */
        RUN,
        /** It names a run of another namespace than its stream's. */
        NAMESPACE,
        /** It names a run of another team than its stream's. */
        TEAM,
        /** It answers a step whose task was not sent to its stream's role. */
        ROLE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to do with a result. */
    sealed interface Verdict permits Trusted, Gone, Rejected {
    }

    /** Deliver it to this run. */
    record Trusted(ResourceID run) implements Verdict {
    }

    /** Its run was deleted: drop it quietly. */
    record Gone() implements Verdict {
    }

    /** Drop it, count it, and say why (the namespace is the stream's: where the result came from). */
    record Rejected(Reason reason, String streamNamespace, String detail) implements Verdict {
    }

    private ResultTrust() {
    }

    static Verdict judge(String stream, TaskResult result, Function<ResourceID, Optional<ArkRun>> runs) {
        String streamNamespace = stream.contains(".") ? stream.substring(0, stream.indexOf('.')) : stream;
        String runName = result.copied().get(ResultEventSource.RUN);
        String namespace = result.copied().get(ResultEventSource.NAMESPACE);
        String step = result.copied().get(ResultEventSource.STEP);
        if (runName == null || namespace == null || step == null) {
            return new Rejected(Reason.RUN, streamNamespace, "it names no run and step");
        }
        // namespaces have no dots: the stream's first part is its namespace
        if (!namespace.equals(streamNamespace)) {
            return new Rejected(Reason.NAMESPACE, streamNamespace, "it names run " + namespace + "/" + runName);
        }
        ResourceID id = new ResourceID(runName, namespace);
        Optional<ArkRun> found = runs.apply(id);
        if (found.isEmpty()) {
            return new Gone();
        }
        ArkRun run = found.get();
        String team = run.getSpec() == null ? null : run.getSpec().teamName();
        String teamPrefix = Names.queue(namespace, String.valueOf(team), "");
        if (team == null || !team.equals(result.copied().get("team")) || !stream.startsWith(teamPrefix)) {
            return new Rejected(Reason.TEAM, streamNamespace, "it names run " + namespace + "/" + runName
                    + " of team " + team);
        }
        if (!result.task().startsWith(runName + "/" + step + "/")) {
            return new Rejected(Reason.RUN, streamNamespace, "its task is not of step " + step + " of run " + runName);
        }
        Optional<String> role = queueRole(run, step, result.task());
        if (role.isEmpty() || !stream.equals(Names.results(Names.queue(namespace, team, role.get())))) {
            return new Rejected(Reason.ROLE, streamNamespace, "step " + step + " of run " + namespace + "/" + runName
                    + " is not its role's");
        }
        return new Trusted(id);
    }

    /** The role a step's task was sent to: the step's own, or for a judge's task its judge's (the step's by default). */
    private static Optional<String> queueRole(ArkRun run, String step, String task) {
        List<StepStatus> steps = run.getStatus() == null || run.getStatus().steps() == null ? List.of()
                : run.getStatus().steps();
        Optional<String> own = steps.stream().filter(s -> step.equals(s.name())).map(StepStatus::role).findFirst();
        if (own.isEmpty() || !task.endsWith(TaskRequest.JUDGE_SUFFIX)) {
            return own;
        }
        JsonNode spec = run.getStatus().teamSpec();
        if (spec != null) {
            for (JsonNode entry : spec.path("pipeline")) {
                String name = entry.path("name").asText("");
                if (step.equals(name.isEmpty() ? entry.path("role").asText() : name)) {
                    String judge = entry.path("validate").path("judgeRole").asText("");
                    return Optional.of(judge.isBlank() ? own.get() : judge);
                }
            }
        }
        return own;
    }
}
