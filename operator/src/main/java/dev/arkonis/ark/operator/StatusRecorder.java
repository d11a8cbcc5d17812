package dev.arkonis.ark.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.ArkStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The one way the status of one kind of ark object is written. A status is written only when it changed, and only
 * over the copy of the object it was decided from (by server-side apply, or by update where the API server cannot
 * apply), so a writer holding an older copy never overwrites a newer status: the API server answers 409, which means
 * "read again". A reconcile reads again by failing (its retry starts from the newer copy, quietly for the first
 * {@link ReconcileErrors#QUIET_CONFLICTS}); a {@link #change} reads again at once. A failed reconcile ends in
 * {@link #failed}: the Reconciled condition and a Warning Event say what failed.
 */
public final class StatusRecorder<R extends CustomResource<?, S>, S extends ArkStatus<S>> {
    /** How many times a change is read and applied again while other writers keep getting in first. */
    private static final int CHANGE_ATTEMPTS = 20;
    private static final ObjectMapper JSON = Serialization.jsonMapper();

    /** How a reconcile's status reaches the API server and the controller's cache; tests give their own. */
    @FunctionalInterface
    public interface Write<R extends HasMetadata, S> {
        R write(R decidedFrom, S status, Context<R> context);
    }

    private final Class<R> type;
    private final S empty;
    private final String fieldManager;
    private final KubernetesClient client;
    private final boolean serverSideApply;
    private final KubeEvents events;
    private final Clock clock;
    private final Write<R, S> write;
    /** Whether writes go to the controller's cache too: not when a test writes by its own means. */
    private final boolean caching;
    private final ConcurrentHashMap<ResourceID, Object> changing = new ConcurrentHashMap<>();

    /** @param write how a reconcile's status is written; null: over the copy, and told to the controller's cache */
    StatusRecorder(Class<R> type, S empty, String fieldManager, KubernetesClient client, boolean serverSideApply,
                   KubeEvents events, Clock clock, Write<R, S> write) {
        this.type = type;
        this.empty = empty;
        this.fieldManager = fieldManager;
        this.client = client;
        this.serverSideApply = serverSideApply;
        this.events = events;
        this.clock = clock;
        this.write = write != null ? write : this::overAndCached;
        this.caching = write == null;
    }

    /** The same recorder, writing a reconcile's status this way (tests: count writes, die after one). */
    public StatusRecorder<R, S> writingBy(Write<R, S> other) {
        return new StatusRecorder<>(type, empty, fieldManager, client, serverSideApply, events, clock, other);
    }

    /** The object's status, or the empty one when it has none yet. */
    public S statusOf(R object) {
        return object.getStatus() == null ? empty : object.getStatus();
    }

    /**
     * A reconcile's decision: written over the copy it was decided from when it differs from that copy's status.
     *
     * @return the object as the API server now has it (the copy itself when nothing was written)
     */
    public R record(R decidedFrom, S status, Context<R> context) {
        if (Objects.equals(status, decidedFrom.getStatus())) {
            return decidedFrom;
        }
        return write.write(decidedFrom, status, context);
    }

    /**
     * A change that writers on several threads make to one object (a counter, a delivery): applied to the latest
     * copy and written over it, read and applied again when another writer got in first, so none is lost.
     *
     * @return the object as written, or empty when it no longer exists
     */
    public Optional<R> change(R object, UnaryOperator<S> change) {
        ResourceID id = ResourceID.fromResource(object);
        // writers of this process take turns, so they do not collide with each other
        synchronized (changing.computeIfAbsent(id, k -> new Object())) {
            for (int attempt = 1; ; attempt++) {
                R latest = client.resources(type).inNamespace(id.getNamespace().orElse(null))
                        .withName(id.getName()).get();
                if (latest == null) {
                    return Optional.empty();
                }
                S before = statusOf(latest);
                S after = change.apply(before);
                if (Objects.equals(before, after)) {
                    return Optional.of(latest);
                }
                try {
                    return Optional.of(over(latest, after));
                } catch (KubernetesClientException e) {
                    if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                        return Optional.empty();
                    }
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= CHANGE_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * What every controller's {@code updateErrorStatus} does: unless {@link ReconcileErrors} finds nothing to report,
     * a Warning Event {@code ReconcileError} and the {@code Reconciled} condition say what failed, written over the
     * copy the failed reconcile read (a newer copy is left alone: its own reconcile comes next); JOSDK then retries.
     */
    public ErrorStatusUpdateControl<R> failed(R object, Context<R> context, Exception e) {
        if (ReconcileErrors.nothingToReport(e, ReconcileErrors.attempt(context)).isPresent()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        events.record(object, EventReason.ReconcileError, ReconcileErrors.describe(e));
        S status = statusOf(object);
        object.setStatus(status.withConditions(ReconcileErrors.failed(status.conditions(), e,
                object.getMetadata().getGeneration(), clock.instant())));
        return ErrorStatusUpdateControl.patchStatus(object);
    }

    /**
     * Another write a reconcile made of the object (its metadata): handed to the controller's cache as a status write
     * is, so the status is then written over it and the next reconcile decides from it.
     *
     * @return the object as written
     */
    public R wrote(R before, R written, Context<R> context) {
        if (caching) {
            context.eventSourceRetriever().getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(before), written, before);
        }
        return written;
    }

    /** Writes the status over exactly this copy of the object: a newer one on the server answers 409. */
    public R over(R copy, S status) {
        if (!serverSideApply) {
            R whole = Serialization.clone(copy);
            whole.setStatus(status);
            return client.resource(whole).updateStatus();
        }
        // only what changed (a run's team snapshot is sent once), naming the version it was decided from, which the
        // API server then requires
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").put("resourceVersion", copy.getMetadata().getResourceVersion());
        patch.set("status", MergePatch.between(JSON.valueToTree(copy.getStatus()), JSON.valueToTree(status)));
        return client.resource(copy).subresource("status").patch(new PatchContext.Builder()
                .withFieldManager(fieldManager).withPatchType(PatchType.JSON_MERGE).build(), patch.toString());
    }

    private R overAndCached(R decidedFrom, S status, Context<R> context) {
        // the next reconcile sees what was written, not the informer's older copy
        return wrote(decidedFrom, over(decidedFrom, status), context);
    }
}
