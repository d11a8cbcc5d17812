package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
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
    /** Kept whole in the run's status and Events; longer comments are refused. */
    static final int MAX_COMMENT = 4096;

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
        if (comment != null && comment.length() > MAX_COMMENT) {
            err.println("error: --comment is " + comment.length() + " characters; at most " + MAX_COMMENT);
            return ExitCodes.INVALID;
        }
        String verb = reject ? "rejecting" : "approving";
        return cluster.call(clients, env, err, verb + " step " + step + " of run " + runName, client -> {
            String ns = cluster.namespace(client);
            Optional<ArkRun> run = RunPatches.unfinished(client, ns, runName, err);
            if (run.isEmpty()) {
                return ExitCodes.INVALID;
            }
            Optional<StepStatus> waiting = RunPatches.step(run.get(), step);
            if (waiting.isEmpty() || waiting.get().phase() != StepPhase.WaitingForApproval) {
                err.println("error: step " + step + " of run " + runName + " is not waiting for approval ("
                        + waiting.map(s -> "it is " + s.phase() + (s.approval() != null && s.approval().decidedBy() != null
                                ? ", decided by " + s.approval().decidedBy() : ""))
                        .orElse("the run has no such step yet") + ")");
                return ExitCodes.INVALID;
            }
            String me = RunPatches.whoAmI(client);
            ObjectNode patch = RunPatches.patch();
            ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
            annotations.put((reject ? Ark.ANNOTATION_REJECT_PREFIX : Ark.ANNOTATION_APPROVE_PREFIX) + step, me);
            if (comment != null && !comment.isBlank()) {
                annotations.put(Ark.ANNOTATION_COMMENT_PREFIX + step, comment);
            }
            RunPatches.apply(client, ns, runName, patch);
            out.println((reject ? "rejected" : "approved") + " step " + step + " of run " + runName + " as " + me);
            return ExitCodes.OK;
        });
    }
}
