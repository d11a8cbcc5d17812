package dev.arkonis.ark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ark suspend}, {@code ark resume}, {@code ark cancel}: one field of an unfinished run's spec, set. */
class SpecSwitchCommand implements Callable<Integer> {
    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Suspend a run: no new step starts, running ones finish, its timeouts pause.")
    static final class Suspend extends SpecSwitchCommand {
        Suspend() {
            super("suspend", true, "suspending", "suspended run %s", null, System.getenv());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a suspended run: waiting steps start, its timeouts run on from where they paused.")
    static final class Resume extends SpecSwitchCommand {
        Resume() {
            super("suspend", false, "resuming", "resumed run %s", null, System.getenv());
        }
    }

    /** By its spec, never by deleting the run: its history stays. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a run: queued tasks are withdrawn, running ones end, the rest is Cancelled; the run is kept.")
    static final class Cancel extends SpecSwitchCommand {
        Cancel() {
            super("cancel", true, "cancelling", "cancelling run %s: queued tasks are withdrawn, running ones end, "
                    + "the rest is Cancelled", null, System.getenv());
        }
    }

    @Parameters(index = "0", paramLabel = "<run>", description = "The ArkRun.")
    String runName;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final String field;
    private final boolean value;
    private final String doing;
    private final String done;
    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    /** @param done what is printed once set, with the run's name for {@code %s} */
    SpecSwitchCommand(String field, boolean value, String doing, String done, Supplier<KubernetesClient> clients,
                      Map<String, String> env) {
        this.field = field;
        this.value = value;
        this.doing = doing;
        this.done = done;
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return cluster.call(clients, env, err, doing + " run " + runName, client -> {
            String ns = cluster.namespace(client);
            if (RunPatches.unfinished(client, ns, runName, err).isEmpty()) {
                return ExitCodes.INVALID;
            }
            RunPatches.setSpec(client, ns, runName, field, value);
            out.println(String.format(done, runName));
            return ExitCodes.OK;
        });
    }
}
