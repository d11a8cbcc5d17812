package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.TeamRef;
import dev.arkonis.ark.cli.term.Terminal;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * Creates an ArkRun of a team ({@code generateName: <team>-}, labelled with the team), says so, and with
 * {@code --watch} follows it to its end: what {@code ark trigger} and {@code ark submit} share.
 */
final class ClusterRunStart {
    private ClusterRunStart() {
    }

    static int start(KubernetesClient client, String namespace, String team, ObjectNode input, boolean watch,
                     Duration watchTimeout, PrintWriter out, Map<String, String> env) throws InterruptedException {
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withGenerateName(team + "-").withNamespace(namespace)
                .addToLabels(Ark.LABEL_TEAM, team).build());
        run.setSpec(new RunSpec(new TeamRef(team), null, input, null, null));
        ArkRun created = client.resources(ArkRun.class).inNamespace(namespace).resource(run).create();
        String name = created.getMetadata().getName();
        out.println("arkrun " + name + " created in namespace " + namespace);
        out.flush();
        if (!watch) {
            return ExitCodes.OK;
        }
        Terminal terminal = new Terminal(env);
        ArkRun finished = new RunWatcher(client, out, terminal.isLive(1), terminal).follow(namespace, name, watchTimeout);
        return finished != null && RunViews.phase(finished) == RunPhase.Succeeded ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
}
