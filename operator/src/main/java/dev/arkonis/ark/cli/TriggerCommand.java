package dev.arkonis.ark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Start a run of a team in the cluster (creates an ArkRun).")
final class TriggerCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<team>", description = "The ArkTeam to run.")
    String team;

    @Mixin
    RunStartOptions run;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final java.util.Map<String, String> env;

    TriggerCommand() {
        this(null, System.getenv());
    }

    TriggerCommand(Supplier<KubernetesClient> clients) {
        this(clients, System.getenv());
    }

    TriggerCommand(Supplier<KubernetesClient> clients, java.util.Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return cluster.call(clients, env, err, "creating a run of team " + team, client ->
                ClusterRunStart.start(client, cluster.namespace(client), team, run, Optional.empty(), out, err, env));
    }
}
