package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkTeam;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Start a run of a team in the cluster (creates an ArkRun).")
final class TriggerCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<team>", description = "The ArkTeam to run.")
    String team;

    @Option(names = "--input", paramLabel = "<json>|<key=value>",
            description = "Run input: a JSON object, or key=value (repeatable), as ark run takes it.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--watch", description = "Follow the run live to its end, as ark run --watch does.")
    boolean watch;

    @Option(names = "--timeout", converter = DurationConverter.Timeout.class, paramLabel = "<duration>",
            description = "With --watch: stop watching after this long (default 1h).")
    Duration watchTimeout = Duration.ofHours(1);

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
        return cluster.call(clients, env, err, "creating a run of team " + team, client -> {
            String ns = cluster.namespace(client);
            ArkTeam found = client.resources(ArkTeam.class).inNamespace(ns).withName(team).get();
            if (found == null) {
                err.println("error: team \"" + team + "\" not found in namespace " + ns);
                return ExitCodes.INVALID;
            }
            ObjectNode input;
            try {
                input = RunInputs.parse(inputs, found.getSpec() == null ? List.of() : found.getSpec().inputList());
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            return ClusterRunStart.start(client, ns, team, input, watch, watchTimeout, out, env);
        });
    }
}
