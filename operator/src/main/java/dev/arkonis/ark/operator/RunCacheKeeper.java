package dev.arkonis.ark.operator;

import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.operator.run.RunStore;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * Stands in for the run controller in an operator that runs no runs (no Redis): it only keeps the {@link SharedRuns}
 * that teams and ArkEvents read, and does nothing with a run.
 */
@ControllerConfiguration(name = RunCacheKeeper.NAME, informer = @Informer(itemStore = RunStore.class))
final class RunCacheKeeper implements Reconciler<ArkRun> {
    static final String NAME = "arkrun-cache";

    private final SharedRuns runs;

    RunCacheKeeper(SharedRuns runs) {
        this.runs = runs;
    }

    @Override
    public List<EventSource<?, ArkRun>> prepareEventSources(EventSourceContext<ArkRun> context) {
        return List.of(runs.source(context));
    }

    @Override
    public UpdateControl<ArkRun> reconcile(ArkRun run, Context<ArkRun> context) {
        return UpdateControl.noUpdate();
    }
}
