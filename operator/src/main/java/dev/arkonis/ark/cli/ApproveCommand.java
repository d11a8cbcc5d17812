package dev.arkonis.ark.cli;

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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Approves (or rejects) a step that waits for a person: annotations naming the caller as the API server knows them
 * (SelfSubjectReview), which the admission policy ark-approvals checks against the request itself.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve (or --reject) a run's step that waits for approval; recorded as you, as the cluster knows you.")
final class ApproveCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<run>", description = "The ArkRun.")
    String runName;

    @Parameters(index = "1", paramLabel = "<step>", description = "Its approval step.")
    String step;

    @Option(names = "--reject", description = "Reject instead: the step and the run fail.")
    boolean reject;

    @Option(names = "--comment", paramLabel = "<text>", description = "Why; an approval's comment is the step's output.")
    String comment;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Supplier<KubernetesClient> clients;
    private final Map<String, String> env;

    ApproveCommand() {
        this(null, System.getenv());
    }

    ApproveCommand(Supplier<KubernetesClient> clients, Map<String, String> env) {
        this.clients = clients;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (comment != null && comment.length() > RunPatches.MAX_COMMENT) {
            err.println("error: --comment is " + comment.length() + " characters; at most " + RunPatches.MAX_COMMENT);
            return ExitCodes.INVALID;
        }
        String verb = reject ? "rejecting" : "approving";
        return cluster.call(clients, env, err, verb + " step " + step + " of run " + runName, client -> {
            String ns = cluster.namespace(client);
            Optional<ArkRun> run = RunPatches.unfinished(client, ns, runName, err);
            if (run.isEmpty()) {
                return ExitCodes.INVALID;
            }
            Optional<String> notWaiting = RunPatches.notWaiting(run.get(), step);
            if (notWaiting.isPresent()) {
                err.println("error: " + notWaiting.get());
                return ExitCodes.INVALID;
            }
            String me = RunPatches.decide(client, run.get(), step, reject, comment);
            out.println((reject ? "rejected" : "approved") + " step " + step + " of run " + runName + " as " + me);
            return ExitCodes.OK;
        });
    }
}
