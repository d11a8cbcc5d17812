package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Writes a run's status and returns the run as the API server now has it. */
@FunctionalInterface
interface StatusWriter {
    ArkRun write(ArkRun run, RunStatus status, Context<ArkRun> context);

    /**
     * By server-side apply when the operator is configured for it (the composition root's switch), else as an update;
     * either way only on top of the version the status was decided from. A conflict fails the reconcile, which then
     * starts again from the newer status: JOSDK's own helpers would apply the stale status again on top of it, and a
     * second operator (an upgrade's old replica) would overwrite what the first recorded.
     */
    StatusWriter JOSDK = (run, status, context) -> {
        ArkRun written = over(context.getClient(), run, status,
                context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource(),
                context.getControllerConfiguration().fieldManager());
        // the next reconcile sees what was written, not the informer's older copy
        context.eventSourceRetriever().getControllerEventSource()
                .handleRecentResourceUpdate(ResourceID.fromResource(run), written, run);
        return written;
    };

    /** Writes the status over exactly this version of the run; a newer one on the server answers 409. */
    static ArkRun over(KubernetesClient client, ArkRun run, RunStatus status, boolean serverSideApply,
                       String fieldManager) {
        if (!serverSideApply) {
            ArkRun whole = Serialization.clone(run);
            whole.setStatus(status);
            return client.resource(whole).updateStatus();
        }
        ArkRun fresh = new ArkRun();
        fresh.setMetadata(new ObjectMetaBuilder().withName(run.getMetadata().getName())
                .withNamespace(run.getMetadata().getNamespace())
                .withResourceVersion(run.getMetadata().getResourceVersion()).build());
        fresh.setStatus(status);
        return client.resource(fresh).subresource("status").patch(new PatchContext.Builder()
                .withForce(true).withFieldManager(fieldManager).withPatchType(PatchType.SERVER_SIDE_APPLY).build());
    }
}
