package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.Names;
import dev.arkonis.ark.queue.ResultDelivery;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a result (or a delegate call, which comes the same way) may change the run it names. Every agent may write
 * its own queue's result stream ({@code <namespace>.<team>.<role>.results}, {@code <namespace>.<agent>.results}), and
 * an entry's fields say which run and step it is about; so it is trusted only for what its stream vouches for: a run
 * of that namespace, of the team it names, and a step whose task that stream's agents were sent (a step's role, or the
 * agent routing or a lookup chose for it; its judge for a {@code validate.semantic} task; the router for a router
 * call). So a delegate call makes child steps only in a run whose calling step runs on the stream's own agents.
 * Anything else is a forgery or a fault and changes nothing. Pure: runs and agents are given as the operator's caches
 * have them.
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
    sealed interface Verdict permits Trusted, Ahead, Gone, Rejected {
    }

    /** Deliver it to this run. */
    record Trusted(ResourceID run) implements Verdict {
    }

    /**
     * The copy of the run at hand has not recorded the attempt this answers: the cache is behind the status write that
     * sent it (an agent can answer within milliseconds). Judge it again on a newer copy; dropping it would lose a step.
     */
    record Ahead(ResourceID run, String step, int attempt) implements Verdict {
    }

    /** Its run was deleted: drop it quietly. */
    record Gone() implements Verdict {
    }

    /** Drop it, count it, and say why (the namespace is the stream's: where the result came from). */
    record Rejected(Reason reason, String streamNamespace, String detail) implements Verdict {
    }

    private ResultTrust() {
    }

    /**
     * @param runs   the runs as the operator's cache has them
     * @param agents the ArkAgents as the operator's cache has them: where a step an agent was chosen for sent its task
     */
    static Verdict judge(ResultDelivery delivery, Function<ResourceID, Optional<ArkRun>> runs,
                         Function<ResourceID, Optional<ArkAgent>> agents) {
        String stream = delivery.stream();
        String streamNamespace = stream.contains(".") ? stream.substring(0, stream.indexOf('.')) : stream;
        String runName = delivery.copied().get(ResultEventSource.RUN);
        String namespace = delivery.copied().get(ResultEventSource.NAMESPACE);
        String step = delivery.copied().get(ResultEventSource.STEP);
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
        if (team == null || !team.equals(delivery.copied().get(ResultEventSource.TEAM))) {
            return new Rejected(Reason.TEAM, streamNamespace, "it names run " + namespace + "/" + runName
                    + " of team " + team);
        }
        String task = delivery.task();
        if (task == null || !task.startsWith(runName + "/" + step + "/")) {
            return new Rejected(Reason.RUN, streamNamespace, "its task is not of step " + step + " of run " + runName);
        }
        int attempt = attemptOf(task.substring(runName.length() + step.length() + 2));
        if (attempt > recordedAttempts(run, step) && !finished(run)) {
            return new Ahead(id, step, attempt);
        }
        Optional<String> queue = StepQueues.of(run, team, step, task, agents);
        if (queue.isPresent() && stream.equals(Names.results(queue.get()))) {
            return new Trusted(id);
        }
        // the run's own team's streams may only be another role's; anything else is not the team's at all
        boolean teams = stream.startsWith(Names.queue(namespace, team, ""));
        return new Rejected(teams ? Reason.ROLE : Reason.TEAM, streamNamespace, "step " + step + " of run "
                + namespace + "/" + runName + " is not " + (teams ? "its role's" : "its team's"));
    }

    /** The attempt a task id names after its run and step ({@code 2} of {@code 2} or {@code 2/judge}); 0 if none. */
    private static int attemptOf(String rest) {
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end)) && end < 9) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(rest.substring(0, end));
    }

    private static boolean finished(ArkRun run) {
        return run.getStatus() != null && run.getStatus().phase() != null && run.getStatus().phase().isFinished();
    }

    /** How many attempts of the step the copy's status has recorded sending (0 if it has no such step yet). */
    private static int recordedAttempts(ArkRun run, String step) {
        if (run.getStatus() == null || run.getStatus().steps() == null) {
            return 0;
        }
        return run.getStatus().steps().stream().filter(s -> step.equals(s.name())).findFirst()
                .map(s -> s.attempts() == null ? 0 : s.attempts()).orElse(0);
    }
}
