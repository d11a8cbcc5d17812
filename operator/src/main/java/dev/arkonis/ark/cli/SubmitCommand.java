package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.TeamInput;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
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
    /** The input that holds the task of a team declaring no inputs (a routed team). */
    static final String TASK_INPUT = "task";

    @Option(names = "--team", required = true, paramLabel = "<team>", description = "The ArkTeam to give the task.")
    String team;

    @Parameters(paramLabel = "<task>", arity = "0..*", description = "The task text (words are joined by spaces).")
    List<String> words = new ArrayList<>();

    @Option(names = "--input", paramLabel = "<json>|<key=value>",
            description = "More run input: a JSON object, or key=value (repeatable), as ark run takes it.")
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
        if (task.isEmpty() && inputs.isEmpty()) {
            err.println("error: give the task text, or --input");
            err.println("see 'ark submit --help'");
            return ExitCodes.INVALID;
        }
        return cluster.call(clients, env, err, "submitting a task to team " + team, client -> {
            String ns = cluster.namespace(client);
            ArkTeam found = client.resources(ArkTeam.class).inNamespace(ns).withName(team).get();
            if (found == null) {
                err.println("error: team \"" + team + "\" not found in namespace " + ns);
                return ExitCodes.INVALID;
            }
            List<TeamInput> declared = found.getSpec() == null ? List.of() : found.getSpec().inputList();
            ObjectNode input;
            try {
                input = RunInputs.parse(inputs, declared);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            if (!task.isEmpty()) {
                Optional<String> key = taskInput(declared);
                if (key.isEmpty()) {
                    err.println("error: team " + team + " declares no string input to hold the task text (inputs: "
                            + String.join(", ", declared.stream().map(TeamInput::name).toList()) + "); use --input");
                    return ExitCodes.INVALID;
                }
                input.put(key.get(), task);
            }
            return ClusterRunStart.start(client, ns, team, input, watch, watchTimeout, out, env);
        });
    }

    /** The team's first string input, or {@value #TASK_INPUT} when it declares none. */
    static Optional<String> taskInput(List<TeamInput> declared) {
        if (declared.isEmpty()) {
            return Optional.of(TASK_INPUT);
        }
        return declared.stream().filter(i -> i.effectiveType() == TeamInput.InputType.STRING).map(TeamInput::name)
                .findFirst();
    }
}
