package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on ark's objects, so {@code kubectl describe} tells what happened and why. */
public final class KubeEvents {
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;

    public KubeEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata object, String reason, String message) {
        emit(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        emit(object, "Warning", reason, message);
    }

    private void emit(HasMetadata object, String type, String reason, String message) {
        String now = clock.instant().toString();
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
        String namespace = object.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                    .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
                            .withKind(object.getKind()).withName(object.getMetadata().getName())
                            .withNamespace(namespace).withUid(object.getMetadata().getUid())
                            .withResourceVersion(object.getMetadata().getResourceVersion()).build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(text)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent("ark-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: losing one must not fail the reconcile
            LOG.warn("could not record event {} on {} {}/{}: {}", reason, object.getKind(), namespace,
                    object.getMetadata().getName(), e.getMessage());
        }
    }
}
