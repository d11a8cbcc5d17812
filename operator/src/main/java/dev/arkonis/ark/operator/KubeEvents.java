package dev.arkonis.ark.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on ark's objects, so {@code kubectl describe} tells what happened and why. An Event's name is
 * stable per (object, type, reason, key): the key is the message for things that can happen again (which are then
 * counted on one Event, as kubectl expects), or the identity of a one-time transition (recorded once however often
 * it is announced, e.g. again after a crash). Each carries its moment to the microsecond ({@code eventTime}, and
 * {@code series} for repeats). {@code kubectl describe} sorts Events by {@code lastTimestamp}, which the API server
 * keeps to the second, and leaves those of one second in the order it listed them, which is by name: so a transition
 * told at a moment the caller fixes (when it happened, as recorded) is also named after that moment, and a run's
 * Events read in the order things happened however close together they came and however late they were written.
 */
public final class KubeEvents {
    /** What the API server keeps of a message in practice (events.k8s.io caps notes at 1 KiB). */
    public static final int MAX_MESSAGE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    private static final int MAX_NAME_PREFIX = 200;
    /** Who reports the Events (their source, and reportingComponent as the API server requires with eventTime). */
    public static final String COMPONENT = "ark-operator";
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);
    /** This replica (the pod's host name), as reportingInstance: at most 128 characters. */
    private static final String INSTANCE = instance();

    private final KubernetesClient client;
    private final Clock clock;
    private final AtomicReference<Instant> lastMoment = new AtomicReference<>(Instant.EPOCH);

    public KubeEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * The moment of an Event being told now: the clock to the microsecond, yet later than every moment this teller
     * gave before, so Events told one after the other sort in that order.
     */
    public Instant moment() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return lastMoment.updateAndGet(last -> now.isAfter(last) ? now : last.plus(1, ChronoUnit.MICROS));
    }

    /** Something that may happen again; repeats with the same message count up on one Event. */
    public void record(HasMetadata object, EventReason reason, String message) {
        emit(object, reason.type(), reason, name(object, reason.type(), reason.name(), message), message, true,
                moment());
    }

    /** A transition that happens once per {@code key} (e.g. step, attempt and phase): recorded at most once. */
    public void once(HasMetadata object, EventReason reason, String key, String message) {
        emit(object, reason.type(), reason, name(object, reason.type(), reason.name(), key), message, false, moment());
    }

    /**
     * A transition that happened at {@code at}, recorded at most once per {@code key}: named after its moment too, so
     * it lists in time order. The moment must be the same whenever it is told again (e.g. the time the status
     * recorded, or a {@link #moment} taken when it happened, for what is told only then).
     */
    public void once(HasMetadata object, EventReason reason, String key, String message, Instant at) {
        once(object, reason.type(), reason, key, message, at);
    }

    /**
     * Several transitions told as one Event at the moment of the first ({@code at}), recorded at most once per
     * {@code key}: of the given {@code type}, a Warning when any of them is one whatever the reason that heads them.
     */
    public void once(HasMetadata object, String type, EventReason reason, String key, String message, Instant at) {
        emit(object, type, reason, timedName(object, type, reason.name(), key, at), message, false, at);
    }

    /** The Event's name: the object's, then a hash of what makes the Event the same one. */
    static String name(HasMetadata object, String type, String reason, String key) {
        String objectName = object.getMetadata().getName();
        String prefix = objectName.length() > MAX_NAME_PREFIX ? objectName.substring(0, MAX_NAME_PREFIX) : objectName;
        return prefix + "." + Hashes.ofText(object.getMetadata().getUid() + "/" + type + "/" + reason + "/" + key);
    }

    /** The name of an Event told at a fixed moment: the object's, the moment (hex microseconds), the hash. */
    static String timedName(HasMetadata object, String type, String reason, String key, Instant at) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        String name = name(object, type, reason, key);
        int dot = name.lastIndexOf('.');
        return name.substring(0, dot + 1) + String.format("%013x", micros) + "." + name.substring(dot + 1);
    }

    static String cut(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
    }

    private void emit(HasMetadata object, String type, EventReason why, String name, String message, boolean count,
                      Instant at) {
        MicroTime now = new MicroTime(MICROS.format(at));
        // what kubectl sorts by: the API server keeps it to the second
        String second = at.truncatedTo(ChronoUnit.SECONDS).toString();
        String text = cut(message);
        String namespace = object.getMetadata().getNamespace();
        String reason = why.name();
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
                    .withEventTime(now)
                    .withFirstTimestamp(second)
                    .withLastTimestamp(second)
                    .withAction(reason)
                    .withReportingComponent(COMPONENT)
                    .withReportingInstance(INSTANCE)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                if (count) {
                    countAgain(namespace, name, text, now, second, reason, object);
                }
                return;
            }
            // an Event is a courtesy: losing one must not fail the reconcile
            LOG.warn("could not record event {} on {} {}/{}: {}", reason, object.getKind(), namespace,
                    object.getMetadata().getName(), e.getMessage());
        }
    }

    private void countAgain(String namespace, String name, String text, MicroTime now, String second, String reason,
                            HasMetadata object) {
        try {
            client.v1().events().inNamespace(namespace).withName(name).edit(e -> {
                int count = e.getCount() == null ? 2 : e.getCount() + 1;
                e.setCount(count);
                e.setSeries(new EventSeries(count, now));
                e.setLastTimestamp(second);
                e.setMessage(text);
                return e;
            });
        } catch (KubernetesClientException e) {
            LOG.warn("could not count event {} on {} {}/{} again: {}", reason, object.getKind(), namespace,
                    object.getMetadata().getName(), e.getMessage());
        }
    }

    private static String instance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = COMPONENT;
            }
        }
        return host.length() > 128 ? host.substring(0, 128) : host;
    }
}
