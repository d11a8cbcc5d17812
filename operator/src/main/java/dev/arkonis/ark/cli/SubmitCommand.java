package dev.arkonis.ark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
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

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Give a team a task in the cluster: an ArkRun whose first string input (or 'task', for a team "
                + "that declares none) is the text.")
final class SubmitCommand implements Callable<Integer> {
    @Option(names = "--team", required = true, paramLabel = "<team>", description = "The ArkTeam to give the task.")
    String team;

    @Parameters(paramLabel = "<task>", arity = "0..*", description = "The task text (words are joined by spaces).")
    List<String> words = new ArrayList<>();

    @Mixin
    RunStartOptions run;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    SubmitCommand() {
        this(null, System.getenv());
    }

    SubmitCommand(Supplier<KubernetesClient> clients, Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String task = String.join(" ", words).strip();
        if (task.isEmpty() && run.inputs.isEmpty()) {
            err.println("error: give the task text, or --input");
            err.println("see 'ark submit --help'");
            return ExitCodes.INVALID;
        }
        return cluster.call(clients, env, err, "submitting a task to team " + team, client ->
                ClusterRunStart.start(client, cluster.namespace(client), team, run,
                        task.isEmpty() ? Optional.empty() : Optional.of(task), out, err, env));
    }
}
