package dev.arkonis.ark.cli;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
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

/** Retry is an annotation on the ArkRun, so kubectl alone can do the same ({@code kubectl annotate arkrun ...}). */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Reset the failed and skipped steps of a team's latest failed run and resume it; succeeded steps keep their outputs.")
final class RetryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<team>", description = "The team whose run to retry.")
    String team;

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

    private Optional<ArkRun> latestFailed(KubernetesClient client, String ns) {
        return client.resources(ArkRun.class).inNamespace(ns).withLabel(Ark.LABEL_TEAM, team).list().getItems().stream()
                .filter(r -> RetryRequest.retryable(RunViews.phase(r)))
                .max(Comparator.comparing((ArkRun r) -> r.getMetadata().getCreationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder())));
    }
}
