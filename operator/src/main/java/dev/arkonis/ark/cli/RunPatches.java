package dev.arkonis.ark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepStatus;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * What the commands that steer a run write: one JSON merge patch of the ArkRun with the user's own credentials, as
 * {@code kubectl patch --type=merge} or {@code kubectl annotate} would, so nothing needs more than RBAC on arkruns.
 */
final class RunPatches {
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
        } else if (RunViews.phase(run.get()).isFinished()) {
            err.println("error: run " + name + " already ended (" + RunViews.phase(run.get()) + ")");
            return Optional.empty();
        }
        return run;
    }

    static ObjectNode patch() {
        return JSON.createObjectNode();
    }

    static ArkRun apply(KubernetesClient client, String namespace, String name, ObjectNode patch) {
        return client.resources(ArkRun.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    static Optional<StepStatus> step(ArkRun run, String step) {
        if (run.getStatus() == null || run.getStatus().steps() == null) {
            return Optional.empty();
        }
        return run.getStatus().steps().stream().filter(s -> step.equals(s.name())).findFirst();
    }

    /** Who the API server says the caller is (SelfSubjectReview, authentication.k8s.io/v1). */
    static String whoAmI(KubernetesClient client) {
        SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
        return review.getStatus().getUserInfo().getUsername();
    }
}
