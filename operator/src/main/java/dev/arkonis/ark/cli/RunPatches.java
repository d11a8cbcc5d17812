package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.flow.ApprovalDecision;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * What steers a run (ark approve, cancel, suspend, resume, and the dashboard's buttons): one JSON merge patch of the
 * ArkRun with the person's own credentials, as {@code kubectl patch --type=merge} or {@code kubectl annotate} would,
 * so nothing needs more than RBAC on arkruns (and the verb approve for a decision).
 */
public final class RunPatches {
    /** Kept whole in the run's status and Events; longer comments are refused. */
    public static final int MAX_COMMENT = ApprovalDecision.MAX_COMMENT_CHARS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunPatches() {
    }

    static Optional<ArkRun> find(KubernetesClient client, String namespace, String name) {
        return Optional.ofNullable(client.resources(ArkRun.class).inNamespace(namespace).withName(name).get());
    }

    /** The run, if it exists and has not ended; else empty, with why on {@code err}. */
    static Optional<ArkRun> unfinished(KubernetesClient client, String namespace, String name, PrintWriter err) {
        Optional<ArkRun> run = find(client, namespace, name);
        if (run.isEmpty()) {
            err.println("error: run \"" + name + "\" not found in namespace " + namespace);
        } else if (!steerable(run.get())) {
            err.println("error: run " + name + " already ended (" + RunViews.phase(run.get()) + ")");
            return Optional.empty();
        }
        return run;
    }

    /** A run that has not ended can still be suspended, resumed, cancelled or decided on. */
    public static boolean steerable(ArkRun run) {
        return !RunViews.phase(run).isFinished();
    }

    public static Optional<StepStatus> step(ArkRun run, String step) {
        if (run.getStatus() == null || run.getStatus().steps() == null) {
            return Optional.empty();
        }
        return run.getStatus().steps().stream().filter(s -> s.name().equals(step)).findFirst();
    }

    /** Whether the step waits for a decision now; else why not, in words. */
    public static Optional<String> notWaiting(ArkRun run, String step) {
        Optional<StepStatus> waiting = step(run, step);
        if (waiting.isPresent() && waiting.get().phase() == StepPhase.WaitingForApproval && steerable(run)) {
            return Optional.empty();
        }
        return Optional.of("step " + step + " of run " + run.getMetadata().getName() + " is not waiting for approval ("
                + waiting.map(s -> "it is " + s.phase() + (s.approval() != null && s.approval().decidedBy() != null
                        ? ", decided by " + s.approval().decidedBy() : ""))
                .orElse("the run has no such step yet") + ")");
    }

    /** Sets a boolean field of the run's spec (suspend, cancel). */
    public static void setSpec(KubernetesClient client, String namespace, String run, String field, boolean value) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("spec").put(field, value);
        apply(client, namespace, run, patch);
    }

    /**
     * Approves or rejects the step's current asking as the caller: their user name as the API server reports it
     * (SelfSubjectReview), which the admission policy ark-approvals checks against the request's own. Returns that name.
     */
    public static String decide(KubernetesClient client, ArkRun run, String step, boolean reject, String comment) {
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw new IllegalArgumentException("the comment is " + comment.length() + " characters; at most " + MAX_COMMENT);
        }
        String me = whoAmI(client);
        String name = decisionName(run, step);
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
        annotations.put((reject ? Ark.ANNOTATION_REJECT_PREFIX : Ark.ANNOTATION_APPROVE_PREFIX) + name, me);
        if (comment != null && !comment.isBlank()) {
            annotations.put(Ark.ANNOTATION_COMMENT_PREFIX + name, comment);
        }
        apply(client, run.getMetadata().getNamespace(), run.getMetadata().getName(), patch);
        return me;
    }

    /** The name part of the annotations that decide the step's current asking ({@link Ark#decisionName}). */
    public static String decisionName(ArkRun run, String step) {
        int asking = step(run, step).map(s -> s.attempts() == null ? 1 : s.attempts()).orElse(1);
        return Ark.decisionName(step, asking);
    }

    private static void apply(KubernetesClient client, String namespace, String name, ObjectNode patch) {
        client.resources(ArkRun.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    /** Who the API server says the caller is (SelfSubjectReview, authentication.k8s.io/v1). */
    private static String whoAmI(KubernetesClient client) {
        SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
        return review.getStatus().getUserInfo().getUsername();
    }
}
