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

/** {@code ark suspend} and {@code ark resume}: {@code spec.suspend} of the run, true or false. */
class SuspendCommand implements Callable<Integer> {
    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Suspend a run: no new step starts, running ones finish, its timeouts pause.")
    static final class Suspend extends SuspendCommand {
        Suspend() {
            super(true, null, System.getenv());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a suspended run: waiting steps start, its timeouts run on from where they paused.")
    static final class Resume extends SuspendCommand {
        Resume() {
            super(false, null, System.getenv());
        }
    }

    @Parameters(index = "0", paramLabel = "<run>", description = "The ArkRun.")
    String runName;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final boolean suspend;
    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    SuspendCommand(boolean suspend, Supplier<KubernetesClient> clients, Map<String, String> env) {
        this.suspend = suspend;
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return cluster.call(clients, env, err, (suspend ? "suspending" : "resuming") + " run " + runName, client -> {
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
            patch.putObject("spec").put("suspend", suspend);
            RunPatches.apply(client, ns, runName, patch);
            out.println((suspend ? "suspended" : "resumed") + " run " + runName);
            return ExitCodes.OK;
        });
    }
}
