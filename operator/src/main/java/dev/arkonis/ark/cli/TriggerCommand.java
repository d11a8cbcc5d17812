package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.cli.term.Terminal;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "<team>", description = "The ArkTeam to run.")
    String team;

    @Option(names = "--input", paramLabel = "<json>", defaultValue = "{}", description = "Run input as a JSON object.")
    String input;

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
        JsonNode inputJson;
        try {
            inputJson = JSON.readTree(input);
        } catch (Exception e) {
            err.println("error: --input is not valid JSON: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (!inputJson.isObject()) {
            err.println("error: --input must be a JSON object");
            return ExitCodes.INVALID;
        }
        return cluster.call(clients, env, err, "creating a run of team " + team, client -> {
            String ns = cluster.namespace(client);
            if (client.resources(ArkTeam.class).inNamespace(ns).withName(team).get() == null) {
                err.println("error: team \"" + team + "\" not found in namespace " + ns);
                return ExitCodes.INVALID;
            }
            ArkRun created = RunRequest.create(client, ns, team, inputJson);
            String name = created.getMetadata().getName();
            out.println("arkrun " + name + " created in namespace " + ns);
            out.flush();
            if (!watch) {
                return ExitCodes.OK;
            }
            ArkRun finished = new RunWatcher(client, out, new Terminal(env).isLive(1), new Terminal(env))
                    .follow(ns, name, watchTimeout);
            return finished != null && RunViews.phase(finished) == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
        });
    }
}
