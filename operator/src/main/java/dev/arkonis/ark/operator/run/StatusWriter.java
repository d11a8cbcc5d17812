package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/** Writes a run's status and returns the run as the API server now has it. */
@FunctionalInterface
interface StatusWriter {
    ArkRun write(ArkRun run, RunStatus status, Context<ArkRun> context);

    /**
     * Through JOSDK, so the next reconcile sees what was written: by server-side apply when the operator is
     * configured for it (the composition root's switch), else as an update with optimistic locking.
     */
    StatusWriter JOSDK = (run, status, context) -> {
        if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
            ArkRun fresh = new ArkRun();
            fresh.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                    .withName(run.getMetadata().getName()).withNamespace(run.getMetadata().getNamespace()).build());
            fresh.setStatus(status);
            return PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(run, fresh, context);
        }
        return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(run, context, r -> {
            r.setStatus(status);
            return r;
        });
    };
}
