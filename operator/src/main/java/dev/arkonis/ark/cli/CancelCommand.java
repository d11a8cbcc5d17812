package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Cancels a run by its spec ({@code spec.cancel: true}), never by deleting it: its history stays. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a run: queued tasks are withdrawn, running ones end, the rest is Cancelled; the run is kept.")
final class CancelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<run>", description = "The ArkRun.")
    String runName;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    CancelCommand() {
        this(null, System.getenv());
    }

    CancelCommand(Supplier<KubernetesClient> clients, Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return cluster.call(clients, env, err, "cancelling run " + runName, client -> {
            String ns = cluster.namespace(client);
            Optional<ArkRun> run = RunPatches.find(client, ns, runName);
            if (run.isEmpty()) {
                err.println("error: run \"" + runName + "\" not found in namespace " + ns);
                return ExitCodes.INVALID;
            }
            if (RunViews.phase(run.get()).isFinished()) {
                err.println("error: run " + runName + " already ended (" + RunViews.phase(run.get()) + ")");
                return ExitCodes.INVALID;
            }
            ObjectNode patch = RunPatches.patch();
            patch.putObject("spec").put("cancel", true);
            RunPatches.apply(client, ns, runName, patch);
            out.println("cancelling run " + runName + ": queued tasks are withdrawn, running ones end, the rest is Cancelled");
            return ExitCodes.OK;
        });
    }
}
