package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on ark's objects, so {@code kubectl describe} tells what happened and why. An Event's name is
 * stable per (object, type, reason, key): the key is the message for things that can happen again (which are then
 * counted on one Event, as kubectl expects), or the identity of a one-time transition (recorded once however often
 * it is announced, e.g. again after a crash).
 */
public final class KubeEvents {
    /** What the API server keeps of a message in practice (events.k8s.io caps notes at 1 KiB). */
    public static final int MAX_MESSAGE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final int MAX_NAME_PREFIX = 200;

    private final KubernetesClient client;
    private final Clock clock;

    public KubeEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Something that may happen again; repeats with the same message count up on one Event. */
    public void record(HasMetadata object, EventReason reason, String message) {
        emit(object, reason, message, message, true);
    }

    /** A transition that happens once per {@code key} (e.g. step, attempt and phase): recorded at most once. */
    public void once(HasMetadata object, EventReason reason, String key, String message) {
        emit(object, reason, key, message, false);
    }

    /** The Event's name: the object's, then a hash of what makes the Event the same one. */
    static String name(HasMetadata object, String type, String reason, String key) {
        String objectName = object.getMetadata().getName();
        String prefix = objectName.length() > MAX_NAME_PREFIX ? objectName.substring(0, MAX_NAME_PREFIX) : objectName;
        return prefix + "." + Hashes.ofText(object.getMetadata().getUid() + "/" + type + "/" + reason + "/" + key);
    }

    static String cut(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
    }

    private void emit(HasMetadata object, EventReason why, String key, String message, boolean count) {
        String now = clock.instant().toString();
        String text = cut(message);
        String namespace = object.getMetadata().getNamespace();
        String type = why.type();
        String reason = why.name();
        String name = name(object, type, reason, key);
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
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
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                if (count) {
                    countAgain(namespace, name, text, now, reason, object);
                }
                return;
            }
            // an Event is a courtesy: losing one must not fail the reconcile
            LOG.warn("could not record event {} on {} {}/{}: {}", reason, object.getKind(), namespace,
                    object.getMetadata().getName(), e.getMessage());
        }
    }

    private void countAgain(String namespace, String name, String text, String now, String reason, HasMetadata object) {
        try {
            client.v1().events().inNamespace(namespace).withName(name).edit(e -> {
                e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                e.setLastTimestamp(now);
                e.setMessage(text);
                return e;
            });
        } catch (KubernetesClientException e) {
            LOG.warn("could not count event {} on {} {}/{} again: {}", reason, object.getKind(), namespace,
                    object.getMetadata().getName(), e.getMessage());
        }
    }
}
