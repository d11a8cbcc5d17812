package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.cli.term.Terminal;
import dev.arkonis.ark.flow.EntryTask;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ark trigger} and {@code ark submit} share: find the team, read {@code --input} against its declared
 * inputs (and put a task's text into the input that holds it), create an ArkRun ({@code generateName: <team>-},
 * labelled with the team), say so, and with {@code --watch} follow it to its end.
 */
final class ClusterRunStart {
    private ClusterRunStart() {
    }

    /** @param task the task's text for the team's task input, or empty */
    static int start(KubernetesClient client, String namespace, String team, RunStartOptions options,
                     Optional<String> task, PrintWriter out, PrintWriter err, Map<String, String> env)
            throws InterruptedException {
        ArkTeam found = client.resources(ArkTeam.class).inNamespace(namespace).withName(team).get();
        if (found == null) {
            err.println("error: team \"" + team + "\" not found in namespace " + namespace);
            return ExitCodes.INVALID;
        }
        List<TeamInput> declared = found.getSpec() == null ? List.of() : found.getSpec().inputList();
        ObjectNode input;
        try {
            input = RunInputs.parse(options.inputs, declared);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (task.isPresent()) {
            Optional<String> key = EntryTask.inputKey(declared);
            if (key.isEmpty()) {
                err.println("error: team " + team + " declares no string input to hold the task text (inputs: "
                        + String.join(", ", declared.stream().map(TeamInput::name).toList()) + "); use --input");
                return ExitCodes.INVALID;
            }
            input.put(key.get(), task.get());
        }
        ArkRun created = RunRequest.create(client, namespace, team, input);
        String name = created.getMetadata().getName();
        out.println("arkrun " + name + " created in namespace " + namespace);
        out.flush();
        if (!options.watch) {
            return ExitCodes.OK;
        }
        Terminal terminal = new Terminal(env);
        ArkRun finished = new RunWatcher(client, out, terminal.isLive(1), terminal).follow(namespace, name,
                options.watchTimeout);
        return finished != null && RunViews.phase(finished) == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
}
