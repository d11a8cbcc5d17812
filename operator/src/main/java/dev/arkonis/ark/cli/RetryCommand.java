package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.ResumeFrom;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.TeamRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Retry is an annotation on the ArkRun, so kubectl alone can do the same ({@code kubectl annotate arkrun ...}); a
 * retry from a step is a new ArkRun with {@code spec.resumeFrom}, which kubectl can create as well.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Reset the failed and skipped steps of a team's latest failed run and resume it; succeeded steps keep "
                + "their outputs. With --from: start a new run of a run's team snapshot from one of its steps.")
final class RetryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "<team|run>",
            description = "The team whose run to retry; with --from, the run to start again from a step.")
    String team;

    @Option(names = "--from", paramLabel = "<step>",
            description = "Create a new run of the same team snapshot that reuses the outputs of every step not downstream "
                    + "of this one, and runs it and its descendants again.")
    String fromStep;

    @Option(names = "--input", paramLabel = "<json>|<key=value>",
            description = "With --from: an input value of the new run (repeatable); the others are the earlier run's.")
    List<String> inputs = List.of();

    @Option(names = "--run", paramLabel = "<name>", description = "This run instead of the team's latest failed one.")
    String runName;

    @Option(names = "--step", paramLabel = "<name>", description = "Only this step (and the steps after it); repeatable.")
    List<String> steps = List.of();

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    RetryCommand() {
        this(null, System.getenv());
    }

    RetryCommand(Supplier<KubernetesClient> clients) {
        this(clients, System.getenv());
    }

    RetryCommand(Supplier<KubernetesClient> clients, Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (fromStep != null) {
            if (!steps.isEmpty()) {
                err.println("error: --from starts a new run from one step; --step retries steps of the same run: give one");
                return ExitCodes.INVALID;
            }
            String source = runName != null ? runName : team;
            return cluster.call(clients, env, err, "starting run " + source + " again from step " + fromStep,
                    client -> resumeFrom(client, cluster.namespace(client), source, out, err));
        }
        if (!inputs.isEmpty()) {
            err.println("error: --input is used with --from (a new run); a retry keeps its run's input");
            return ExitCodes.INVALID;
        }
        return cluster.call(clients, env, err, "retrying a run of team " + team, client -> {
            String ns = cluster.namespace(client);
            Optional<ArkRun> target = runName != null
                    ? Optional.ofNullable(client.resources(ArkRun.class).inNamespace(ns).withName(runName).get())
                    : latestFailed(client, ns);
            if (target.isEmpty()) {
                err.println("error: " + (runName != null ? "run \"" + runName + "\" not found in namespace " + ns
                        : "team " + team + " has no Failed or TimedOut run in namespace " + ns));
                return ExitCodes.INVALID;
            }
            ArkRun run = target.get();
            RunPhase phase = RunViews.phase(run);
            if (!RetryRequest.retryable(phase)) {
                err.println("error: run " + run.getMetadata().getName() + " is " + phase
                        + "; only a Failed or TimedOut run can be retried");
                return ExitCodes.INVALID;
            }
            RetryRequest.send(client, ns, run.getMetadata().getName(), steps);
            out.println("retrying run " + run.getMetadata().getName()
                    + (steps.isEmpty() ? " (its failed and skipped steps)" : " (steps " + String.join(", ", steps) + ")"));
            return ExitCodes.OK;
        });
    }

    /** A new ArkRun of the earlier run's team snapshot, resumed from the step, with the changed inputs. */
    private int resumeFrom(KubernetesClient client, String ns, String source, PrintWriter out, PrintWriter err) {
        Optional<ArkRun> found = RunPatches.find(client, ns, source);
        if (found.isEmpty()) {
            err.println("error: run \"" + source + "\" not found in namespace " + ns);
            return ExitCodes.INVALID;
        }
        ArkRun earlier = found.get();
        RunPhase phase = RunViews.phase(earlier);
        if (!phase.isFinished() || earlier.getStatus().teamSpec() == null) {
            err.println("error: run " + source + " is " + phase + "; a run is started again from a step once it ended "
                    + "(ark cancel " + source + " ends it)");
            return ExitCodes.INVALID;
        }
        ArkTeamSpec snapshot = JSON.convertValue(earlier.getStatus().teamSpec(), ArkTeamSpec.class);
        List<String> stepNames = snapshot.steps().stream().map(PipelineStep::effectiveName).toList();
        if (!stepNames.contains(fromStep)) {
            err.println("error: --from " + fromStep + ": no step \"" + fromStep + "\" in run " + source + " (steps: "
                    + String.join(", ", stepNames) + ")");
            return ExitCodes.INVALID;
        }
        ObjectNode input = earlier.getSpec().input() instanceof ObjectNode given ? given.deepCopy() : JSON.createObjectNode();
        try {
            input.setAll(RunInputs.parse(inputs, snapshot.inputList()));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        String teamName = earlier.getSpec().teamName();
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withGenerateName(teamName + "-").withNamespace(ns)
                .addToLabels(Ark.LABEL_TEAM, teamName).addToLabels(Ark.LABEL_RESUMED_FROM, source).build());
        run.setSpec(new RunSpec(new TeamRef(teamName), null, input, earlier.getSpec().timeoutSeconds(),
                earlier.getSpec().maxTokens(), null, null, new ResumeFrom(source, fromStep),
                earlier.getSpec().ttlSecondsAfterFinished()));
        ArkRun created = client.resources(ArkRun.class).inNamespace(ns).resource(run).create();
        out.println("arkrun " + created.getMetadata().getName() + " created in namespace " + ns + ": run " + source
                + " again from step " + fromStep);
        return ExitCodes.OK;
    }

    private Optional<ArkRun> latestFailed(KubernetesClient client, String ns) {
        return client.resources(ArkRun.class).inNamespace(ns).withLabel(Ark.LABEL_TEAM, team).list().getItems().stream()
                .filter(r -> RetryRequest.retryable(RunViews.phase(r)))
                .max(Comparator.comparing((ArkRun r) -> r.getMetadata().getCreationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder())));
    }
}
